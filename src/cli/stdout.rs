//! How a run ends when standard output fails, and how errors are worded.
//!
//! A reader that goes away (`| head`, EPIPE) ends the run quietly; a standard output that is
//! full (`> /dev/full`) or closed (`>&-`) is an error. A closed one needs watching (on
//! Linux): Rust's runtime puts `/dev/null` in place of a closed standard stream, so every
//! write would vanish and the run would end "successfully" with its output lost.

#[cfg(target_os = "linux")]
use std::io::Read;
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(target_os = "linux")]
use std::sync::Arc;

/// The error message: each cause once. The library's errors name their cause in their own
/// message (`cannot read x: no such file`), so printing the chain would say it twice.
pub fn error_message(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    if is_stdout_write_error(e) {
        message = format!("cannot write to standard output: {message}");
    }
    message
}

/// An I/O error with no context at all comes from a write to standard output: every file
/// the library reads or writes is named in its error.
fn is_stdout_write_error(e: &anyhow::Error) -> bool {
    e.chain().count() == 1
        && (e.is::<std::io::Error>() || e.is::<serde_json::Error>() || e.is::<csv::Error>())
}

#[cfg(target_os = "linux")]
/// Standard output that was closed when the run started: writes go to a pipe whose other
/// end only notes whether anything came.
pub struct ClosedStdout {
    wrote: Arc<AtomicBool>,
    drain: std::thread::JoinHandle<()>,
}

#[cfg(target_os = "linux")]
impl ClosedStdout {
    /// Starts watching when standard output was closed; `None` otherwise.
    pub fn watch() -> Option<ClosedStdout> {
        if !was_closed() {
            return None;
        }
        let (read, write) = nix::unistd::pipe().ok()?;
        nix::unistd::dup2_stdout(&write).ok()?;
        drop(write);
        let wrote = Arc::new(AtomicBool::new(false));
        let seen = wrote.clone();
        let drain = std::thread::spawn(move || {
            let (mut read, mut buf) = (std::fs::File::from(read), [0u8; 8192]);
            while let Ok(1..) = read.read(&mut buf) {
                seen.store(true, Ordering::Relaxed);
            }
        });
        Some(ClosedStdout { wrote, drain })
    }

    /// An error when anything was written to the closed standard output.
    pub fn check(self) -> anyhow::Result<()> {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // `/dev/null` back in place closes the pipe, and the drain sees its end.
        if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
            let _ = nix::unistd::dup2_stdout(&null);
        }
        let _ = self.drain.join();
        if self.wrote.load(Ordering::Relaxed) {
            anyhow::bail!(
                "cannot write to standard output: it is closed (`>&-`), and the output written \
                 there is lost; send it to a file (`-o FILE` or `> FILE`) or a pipe"
            );
        }
        Ok(())
    }
}

/// Whether file descriptor 1 was closed when the process started. Rust's runtime then puts
/// `/dev/null` in its place, which looks like a `> /dev/null` the user chose; so the loader
/// runs [`SEE_STDOUT_AT_START`] first, before the runtime starts.
#[cfg(target_os = "linux")]
static CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SEE_STDOUT_AT_START: extern "C" fn() = {
    extern "C" fn see() {
        // SAFETY: fcntl only asks about the descriptor; a closed one gives EBADF.
        if unsafe { nix::libc::fcntl(1, nix::libc::F_GETFD) } == -1 {
            CLOSED_AT_START.store(true, Ordering::Relaxed);
        }
    }
    see
};

#[cfg(target_os = "linux")]
fn was_closed() -> bool {
    CLOSED_AT_START.load(Ordering::Relaxed)
}
