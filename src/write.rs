//! Writing reports and baselines: atomically, so that an interrupted run leaves the old file
//! whole, and only where atomic replacement is what the user means.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Temporary files being written, for the interrupt handler to remove.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file being written, and keeps any more from being made until the
/// returned guard is dropped: for an interrupt handler that then ends the process (the
/// command line's; a library does not end its caller's process).
pub fn remove_pending() -> Held {
    let pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    for path in pending.iter() {
        let _ = fs::remove_file(path);
    }
    Held(pending)
}

/// No temporary file is made while this lives.
pub struct Held(#[allow(dead_code)] std::sync::MutexGuard<'static, Vec<PathBuf>>);

/// Whether `signal` is ignored, as the process was started.
#[cfg(unix)]
pub fn is_ignored(signal: i32) -> bool {
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: a null new action only reads the current one into `action`, which is valid.
    let read = unsafe { libc::sigaction(signal, std::ptr::null(), &raw mut action) };
    read == 0 && action.sa_sigaction == libc::SIG_IGN
}

/// A temporary file in `dir`, listed in [`PENDING`] while the guard lives. The list stays
/// locked from the file's creation to its listing, so an interrupt cannot fall between them.
/// (The guard comes first: bound in that order, the file is removed before it is unlisted.)
fn pending_temp_file(dir: &Path) -> io::Result<(Pending, tempfile::NamedTempFile)> {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    let temp = tempfile::NamedTempFile::new_in(dir)?;
    pending.push(temp.path().to_path_buf());
    let guard = Pending(temp.path().to_path_buf());
    Ok((guard, temp))
}

/// Takes a temporary file off [`PENDING`] when dropped.
struct Pending(PathBuf);

impl Drop for Pending {
    fn drop(&mut self) {
        PENDING.lock().unwrap_or_else(PoisonError::into_inner).retain(|p| *p != self.0);
    }
}

/// Writes `text` to `path`. A regular file (or a new one) is replaced atomically: a temporary
/// file in the same folder, then a rename. A link is followed, and its target replaced. A
/// special file (`/dev/stdout`, a FIFO) is written in place, since replacing it would destroy
/// it. A read-only file is refused.
pub fn write_file(path: &Path, text: impl AsRef<[u8]>) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(target) => write_file(&target, text),
            Err(_) => {
                // A dangling link: create what it points to, unless that is a link too (a
                // loop, or a chain that leads nowhere).
                let target = path.parent().unwrap_or(Path::new(".")).join(fs::read_link(path)?);
                if fs::symlink_metadata(&target).is_ok() {
                    let message = "the link does not lead to a file";
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
                }
                write_atomically(&target, text)
            }
        },
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            fs::OpenOptions::new().write(true).open(path)?.write_all(text.as_ref())
        }
        Ok(meta) if meta.permissions().readonly() => {
            Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"))
        }
        _ => write_atomically(path, text),
    }
}

/// Writes `text` to `path` so that a reader never sees half of it: a temporary file in the same
/// folder, then a rename over the old one. A file that existed keeps its permissions.
fn write_atomically(path: &Path, text: impl AsRef<[u8]>) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no folder {}", dir.display()),
        ));
    }
    let (_pending, mut temp) = pending_temp_file(dir)?;
    temp.write_all(text.as_ref())?;
    temp.as_file().sync_all()?;
    match std::fs::metadata(path) {
        Ok(meta) => temp.as_file().set_permissions(meta.permissions())?,
        Err(_) => readable_by_others(temp.as_file())?,
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A new report or baseline is for others to read too, like a file a shell redirect makes
/// (the temporary file it starts as is private).
#[cfg(unix)]
fn readable_by_others(file: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_others(_: &std::fs::File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_is_listed_for_the_interrupt_handler_while_it_lives() {
        // (Not by calling the handler's clean-up: other tests are writing files meanwhile.)
        let dir = tempfile::tempdir().unwrap();
        let (pending, temp) = pending_temp_file(dir.path()).unwrap();
        let path = temp.path().to_path_buf();
        assert!(PENDING.lock().unwrap().contains(&path));
        drop(pending);
        assert!(!PENDING.lock().unwrap().contains(&path));
    }

    #[test]
    fn a_link_is_followed_and_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("target.json"), "old").unwrap();
        std::os::unix::fs::symlink("target.json", dir.path().join("link.json")).unwrap();
        write_file(&dir.path().join("link.json"), "new").unwrap();
        assert!(
            std::fs::symlink_metadata(dir.path().join("link.json"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(dir.path().join("target.json")).unwrap(), "new");
    }

    #[test]
    fn a_link_loop_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(write_file(&dir.path().join("loop"), "x").is_err());
        assert!(write_file(&dir.path().join("a"), "x").is_err());
    }

    #[test]
    fn a_special_file_is_written_in_place() {
        write_file(Path::new("/dev/null"), "report").unwrap();
        assert!(
            !std::fs::symlink_metadata("/dev/null").unwrap().is_file(),
            "/dev/null is still a device"
        );
    }

    #[test]
    fn a_read_only_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro.json");
        std::fs::write(&path, "old").unwrap();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();
        assert!(write_file(&path, "new").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    }
}
