//! Atomic output files: written to a temporary file beside the target, then renamed, so a
//! crash or Ctrl-C never leaves a partial file under the target's name.
//!
//! Targets that are not regular files (`/dev/null`, a terminal, a named pipe) are written
//! directly: renaming over them would replace the device or pipe with a file. So are the
//! files behind the process's own standard output and error. A symbolic link is followed,
//! so the link stays and the file it points to is replaced.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written now, for [`remove_unfinished_outputs`].
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn unfinished() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Deletes the temporary files of outputs still being written, and returns how many there
/// were. For an interrupt handler: the process is about to exit, and none of its unfinished
/// outputs should stay behind. (After a crash or `kill -9` a `.NAME.tmp-PID` file can remain;
/// the target itself is never partial.)
pub fn remove_unfinished_outputs() -> usize {
    let mut temps = unfinished();
    for temp in temps.iter() {
        let _ = std::fs::remove_file(temp);
    }
    std::mem::take(&mut *temps).len()
}

/// Whether some output is being written now: an interrupt handler ends the process at once
/// then, rather than let the output be finished and renamed into place.
pub fn outputs_in_progress() -> bool {
    !unfinished().is_empty()
}

/// Writes `path` atomically with `write`; `-` writes to standard output instead.
///
/// A path that is the process's own standard output or error (`/dev/stdout`, or the file
/// they are redirected to) is written through that stream, at its offset: replacing the file
/// would destroy what the shell wrote there before. Rewriting a file keeps its mode and
/// owner; where the owner cannot be kept (someone else's file), it is rewritten in place.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let (file, temp, target) = match open_output(path).map_err(fail)? {
        Output::Stdout => return finish(&mut std::io::stdout().lock(), write).map_err(fail),
        Output::Stderr => return finish(&mut std::io::stderr().lock(), write).map_err(fail),
        Output::InPlace(file) => return finish(&mut BufWriter::new(file), write).map_err(fail),
        Output::Temporary { file, temp, target } => (file, temp, target),
    };
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    unfinished().retain(|t| t != &temp);
    result.map_err(fail)
}

fn finish(
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write(out)?;
    out.flush()
}

/// Where an output goes.
enum Output {
    Stdout,
    Stderr,
    /// A device, a pipe, or a file whose owner a new file could not have.
    InPlace(File),
    /// A new temporary file (already given the target's mode and owner), renamed at the end.
    Temporary {
        file: File,
        temp: PathBuf,
        target: PathBuf,
    },
}

fn open_output(path: &Path) -> std::io::Result<Output> {
    if path == Path::new("-") {
        return Ok(Output::Stdout);
    }
    let (target, existing) = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(Output::InPlace(file));
        }
        Ok(meta) => {
            match standard_stream(&meta) {
                Some(1) => return Ok(Output::Stdout),
                Some(2) => return Ok(Output::Stderr),
                Some(_) => return Err(std::io::Error::other("it is the standard input")),
                None => {}
            }
            (std::fs::canonicalize(path)?, Some(meta))
        }
        Err(_) => (path.to_path_buf(), None),
    };
    let temp = temp_path(&target);
    unfinished().push(temp.clone());
    let file = File::create(&temp);
    let kept = match (&file, &existing) {
        (Ok(file), Some(meta)) => keep_mode_and_owner(file, meta),
        _ => true,
    };
    if file.is_err() || !kept {
        let _ = std::fs::remove_file(&temp);
        unfinished().retain(|t| t != &temp);
    }
    if !kept {
        // Truncating keeps the file's mode and owner.
        return File::create(&target).map(Output::InPlace);
    }
    Ok(Output::Temporary {
        file: file?,
        temp,
        target,
    })
}

/// Which standard stream (0, 1, 2) is the regular file that `meta` describes, if any.
#[cfg(unix)]
fn standard_stream(meta: &std::fs::Metadata) -> Option<u8> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let same = |fd: std::os::fd::BorrowedFd<'_>| {
        let stream = File::from(fd.try_clone_to_owned().ok()?).metadata().ok()?;
        Some(stream.dev() == meta.dev() && stream.ino() == meta.ino())
    };
    let stdin = std::io::stdin();
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    [
        same(stdin.as_fd()),
        same(stdout.as_fd()),
        same(stderr.as_fd()),
    ]
    .iter()
    .position(|s| *s == Some(true))
    .map(|i| i as u8)
}

#[cfg(not(unix))]
fn standard_stream(_: &std::fs::Metadata) -> Option<u8> {
    None
}

/// Gives the new file the mode and owner of the one it replaces; `false` if the owner
/// cannot be given (only its owner or root may).
#[cfg(unix)]
fn keep_mode_and_owner(file: &File, old: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let owner = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    owner.is_ok() && file.set_permissions(old.permissions()).is_ok()
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &File, old: &std::fs::Metadata) -> bool {
    file.set_permissions(old.permissions()).is_ok()
}

/// `dir/.name.tmp-PID`: hidden, beside the target (same file system, so rename is atomic).
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        write_atomic(&target, |w| w.write_all(b"hello")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello");
        let err = write_atomic(&target, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            // A symbolic link stays a link; the file it points to is replaced.
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            write_atomic(&link, |w| w.write_all(b"through the link")).unwrap();
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(
                std::fs::read_to_string(&target).unwrap(),
                "through the link"
            );
            std::fs::remove_file(&link).unwrap();
        }
        let missing = dir.path().join("no/such/dir/out.txt");
        let message = write_atomic(&missing, |w| w.write_all(b"x"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("cannot write"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_atomic(&fifo, |w| w.write_all(b"streamed")).unwrap();
        assert_eq!(reader.join().unwrap(), "streamed");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
