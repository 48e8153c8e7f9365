//! Where inputs come from: files, directories walked for captures (`*.json`, `*.har`,
//! `*.http`, `*.jsonl`, `*.ndjson`), and standard input.
//!
//! Every path given is accounted for: what cannot be read becomes a [`Diagnostic`] for that
//! path (see [`unreadable`]), and the other inputs are still checked.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub(crate) mod capture;
pub(crate) mod har;
pub(crate) mod http;
pub(crate) mod jsonl;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Source;

pub use capture::InputFormat;
pub(crate) use capture::{Body, BodyText, Unit};

/// The name standard input is reported under.
pub const STDIN_NAME: &str = "<stdin>";

/// One input to check, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
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
            Input::File(path) => {
                // A FIFO or a device would block or never end: only regular files are read.
                // (Pipe such input to `-` instead.)
                let meta = fs::metadata(path)?;
                if !meta.is_file() {
                    let what = if meta.is_dir() {
                        "it is a directory"
                    } else {
                        "it is not a regular file (pipe it to `-` instead)"
                    };
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
                }
                fs::read(path)?
            }
        };
        Ok(Source::new(self.name(), bytes))
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The finding for an input that could not be read.
pub fn unreadable(name: &str, error: &io::Error) -> Diagnostic {
    let reason = match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ => {
            let text = error.to_string();
            // "Is a directory (os error 21)" -> "is a directory": the number helps nobody.
            let text = text.split(" (os error").next().unwrap_or_default();
            let mut chars = text.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
        }
    };
    Diagnostic::new(Code::UnreadableInput, format!("cannot read {name}: {reason}"))
}

/// The inputs named by `paths`, in the order given; directories expand to the captures below
/// them, sorted by path. A path that cannot be walked, or a directory with no capture, yields an
/// error in its place: a gate must not pass a folder it checked nothing in.
pub fn expand(paths: &[PathBuf]) -> Vec<(String, io::Result<Input>)> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push((STDIN_NAME.to_owned(), Ok(Input::Stdin)));
        } else if path.is_dir() {
            let before = out.len();
            walk(path, &mut Vec::new(), &mut out);
            if out.len() == before {
                let none = io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "no capture (*.json, *.har, *.http, *.jsonl, *.ndjson) in it",
                );
                out.push((path.to_string_lossy().into_owned(), Err(none)));
            }
        } else {
            out.push((path.to_string_lossy().into_owned(), Ok(Input::File(path.clone()))));
        }
    }
    out
}

/// Adds the captures under `dir`. Links are followed, to files and to directories, but a
/// directory already on the way down (a link loop) is not entered again.
fn walk(dir: &Path, ancestors: &mut Vec<PathBuf>, out: &mut Vec<(String, io::Result<Input>)>) {
    let name = dir.to_string_lossy().into_owned();
    let canonical = match fs::canonicalize(dir) {
        Ok(canonical) => canonical,
        Err(e) => return out.push((name, Err(e))),
    };
    if ancestors.contains(&canonical) {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return out.push((name, Err(e))),
    };
    ancestors.push(canonical);
    // The directory listing says what most entries are; only links need a look at their target.
    let mut found: Vec<(PathBuf, Option<fs::FileType>)> =
        entries.filter_map(Result::ok).map(|e| (e.path(), e.file_type().ok())).collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in found {
        let kind = match kind {
            Some(kind) if !kind.is_symlink() => Ok(kind),
            // `metadata` follows links; a dangling link is reported if it is named like an input.
            _ => fs::metadata(&path).map(|m| m.file_type()),
        };
        match kind {
            Ok(kind) if kind.is_dir() => walk(&path, ancestors, out),
            Ok(kind) if kind.is_file() && is_capture(&path) => {
                out.push((path.to_string_lossy().into_owned(), Ok(Input::File(path))));
            }
            Err(e) if is_capture(&path) => out.push((path.to_string_lossy().into_owned(), Err(e))),
            _ => {}
        }
    }
    ancestors.pop();
}

/// Whether a file found in a directory is a capture, by its extension.
fn is_capture(path: &Path) -> bool {
    InputFormat::from_extension(&path.to_string_lossy()).is_some()
}
