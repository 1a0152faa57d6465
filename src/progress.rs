//! Progress bars on standard error, shown only to a person watching a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar that draws nothing when disabled or when stderr is not a terminal.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    fn new(enabled: bool, len: Option<u64>, template: &str, message: &str) -> Progress {
        let bar = match len {
            Some(len) => ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden()),
            None => ProgressBar::hidden(),
        };
        if enabled && std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        Progress { bar }
    }

    /// A counter of items with a known total.
    pub fn items(enabled: bool, len: u64, message: &str) -> Progress {
        Progress::new(
            enabled,
            Some(len),
            "{msg:>12} [{bar:30}] {pos}/{len} ({per_sec}, {eta})",
            message,
        )
    }

    /// A counter of bytes with no known total.
    pub fn bytes(enabled: bool, message: &str) -> Progress {
        Progress::new(enabled, None, "{msg} {bytes} ({bytes_per_sec})", message)
    }

    /// Advances by `n`.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
