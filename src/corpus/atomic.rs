//! Atomic output files: written to a temporary file beside the target, then renamed, so a
//! crash or Ctrl-C never leaves a partial file under the target's name.
//!
//! Targets that are not regular files (`/dev/null`, `/dev/stdout`, a named pipe) are written
//! directly: renaming over them would replace the device or pipe with a file. A symbolic
//! link is followed, so the link stays and the file it points to is replaced.

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

/// Writes `path` atomically with `write`; `-` writes to standard output instead.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if path == Path::new("-") {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        return write(&mut lock).and_then(|()| lock.flush()).map_err(fail);
    }
    let target = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            return write(&mut out).and_then(|()| out.flush()).map_err(fail);
        }
        Ok(_) => std::fs::canonicalize(path).map_err(fail)?,
        Err(_) => path.to_path_buf(),
    };
    let path = target.as_path();
    let temp = temp_path(path);
    unfinished().push(temp.clone());
    let result = (|| {
        let file = File::create(&temp)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    unfinished().retain(|t| t != &temp);
    result.map_err(fail)
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
