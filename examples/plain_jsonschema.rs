//! The baseline the benchmark compares profile-lint with: the jsonschema crate used plainly.
//! Compile the schema once; for each file, parse it to a `serde_json::Value`, `is_valid`, and
//! on failure `iter_errors`. It prints the number of errors, so the work cannot be skipped.
//!
//! Run: `cargo run --release --example plain_jsonschema -- FILE...`

use std::process::ExitCode;

fn main() -> ExitCode {
    let schema: serde_json::Value = match serde_json::from_str(profile_lint::schema::EMBEDDED) {
        Ok(schema) => schema,
        Err(e) => {
            eprintln!("schema: {e}");
            return ExitCode::from(2);
        }
    };
    // The same schema and date-time format as profile-lint's, so both do the same checks.
    let validator = match jsonschema::options()
        .should_validate_formats(true)
        .with_format("date-time", profile_lint::datetime::is_valid)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
    {
        Ok(validator) => validator,
        Err(e) => {
            eprintln!("schema: {e}");
            return ExitCode::from(2);
        }
    };
    let mut errors = 0usize;
    for path in std::env::args().skip(1) {
        let instance: serde_json::Value = match std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
        {
            Ok(value) => value,
            Err(e) => {
                eprintln!("{path}: {e}");
                errors += 1;
                continue;
            }
        };
        if !validator.is_valid(&instance) {
            errors += validator.iter_errors(&instance).count();
        }
    }
    println!("{errors} errors");
    ExitCode::from(u8::from(errors > 0))
}
