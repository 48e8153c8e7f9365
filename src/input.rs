//! Where inputs come from: files, directories walked for `*.json`, and standard input.
//!
//! Every path given is accounted for: what cannot be read becomes a [`Diagnostic`] for that
//! path (see [`unreadable`]), and the other inputs are still checked.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Source;

/// The name standard input is reported under.
pub const STDIN_NAME: &str = "<stdin>";

/// One input to check, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// The name used in reports: the path as given (or as found under a directory given).
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.to_string_lossy().into_owned(),
            Input::Stdin => STDIN_NAME.to_owned(),
        }
    }

    /// Reads the whole input.
    pub fn load(&self) -> io::Result<Source> {
        let bytes = match self {
            Input::Stdin => {
                let mut bytes = Vec::new();
                io::stdin().lock().read_to_end(&mut bytes)?;
                bytes
            }
            Input::File(path) => fs::read(path)?,
        };
        Ok(Source::new(self.name(), bytes))
    }
}

/// The finding for an input that could not be read.
pub fn unreadable(name: &str, error: &std::io::Error) -> Diagnostic {
    let reason = match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    Diagnostic::new(Code::Unreadable, format!("cannot read {name}: {reason}"))
}

/// The inputs named by `paths`, in the order given; directories expand to the `*.json` files
/// below them, sorted by path. A path that cannot be walked yields an error in its place.
pub fn expand(paths: &[PathBuf]) -> Vec<(String, io::Result<Input>)> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push((STDIN_NAME.to_owned(), Ok(Input::Stdin)));
        } else if path.is_dir() {
            walk(path, &mut out);
        } else {
            out.push((path.to_string_lossy().into_owned(), Ok(Input::File(path.clone()))));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<(String, io::Result<Input>)>) {
    let name = dir.to_string_lossy().into_owned();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push((name, Err(e)));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        // Symbolic links are not followed inside a walk (as ripgrep does): no loops, no escapes.
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, out);
        } else if meta.is_file() && is_json(&path) {
            out.push((path.to_string_lossy().into_owned(), Ok(Input::File(path))));
        }
    }
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}
