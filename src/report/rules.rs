//! `profile-lint rules` and `profile-lint explain CODE`: the registry, for people.

use std::io::{self, Write};

use crate::diagnostic::Code;

/// One line per code: code, name, default severity, category and summary.
pub fn write_list(out: &mut dyn Write) -> io::Result<()> {
    let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    writeln!(out, "{:<5} {:<width$} {:<8} {:<9} WHAT", "CODE", "NAME", "DEFAULT", "CATEGORY")?;
    for code in Code::ALL {
        let always = if code.is_configurable() { "" } else { " (always an error)" };
        writeln!(
            out,
            "{:<5} {:<width$} {:<8} {:<9} {}{always}",
            code.as_str(),
            code.name(),
            code.default_severity().as_str(),
            code.category().as_str(),
            code.summary()
        )?;
    }
    Ok(())
}

/// The rules as the Markdown table in the README (a test keeps the README current).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| code | name | default | category | what it reports |\n|---|---|---|---|---|\n",
    );
    for code in Code::ALL {
        let configurable = if code.is_configurable() { "" } else { " (always)" };
        out.push_str(&format!(
            "| {} | `{}` | {}{configurable} | {} | {} |\n",
            code.as_str(),
            code.name(),
            code.default_severity().as_str(),
            code.category().as_str(),
            code.summary()
        ));
    }
    out
}

/// A code's documentation, as `rustc --explain` prints an error's.
pub fn write_explain(code: Code, out: &mut dyn Write) -> io::Result<()> {
    let configurable = if code.is_configurable() { "" } else { "; cannot be configured" };
    writeln!(
        out,
        "{} {} ({}, {} by default{configurable})\n",
        code.as_str(),
        code.name(),
        code.category().as_str(),
        code.default_severity().as_str()
    )?;
    writeln!(out, "{}", code.docs())
}
