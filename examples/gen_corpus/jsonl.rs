//! JSON Lines: one compact `GET /profile/` response body (an array of users) a line, as a job
//! that calls the endpoint again and again and logs each answer writes them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use crate::generator::{Generator, Value, Written, file_name, manifest_rows};

/// What to write.
pub struct Options {
    pub files: usize,
    pub lines: usize,
    /// Users in each line's response.
    pub users: usize,
    /// The share of users given one violation.
    pub invalid_rate: f64,
    pub out: PathBuf,
    pub seed: u64,
}

/// Writes `options.files` files of `options.lines` lines, and `MANIFEST.tsv` with the line
/// of each invalid user (from 1, as profile-lint counts lines) and its pointer in that line.
pub fn write(options: &Options) -> io::Result<Written> {
    std::fs::create_dir_all(&options.out)?;
    let mut generator = Generator::new(options.seed);
    let mut manifest = String::from("file\tline\tuser\tkind\tpointer\n");
    let mut written = Written { files: Vec::new(), invalid: 0 };
    for file in 0..options.files {
        let name = file_name("profile", file, options.files, "jsonl");
        let path = options.out.join(&name);
        let mut out = BufWriter::new(File::create(&path)?);
        let mut line = String::new();
        for number in 1..=options.lines {
            let drawn = generator.users(options.users, options.invalid_rate);
            let response = format!("{name}\t{number}");
            written.invalid += manifest_rows(&mut manifest, &response, &drawn);
            line.clear();
            Value::Array(drawn.into_iter().map(|d| d.user).collect()).write(&mut line, None);
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        out.flush()?;
        written.files.push(path);
    }
    std::fs::write(options.out.join("MANIFEST.tsv"), manifest)?;
    Ok(written)
}
