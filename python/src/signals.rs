//! Ctrl-C during a run: the library asks its observer whether to stop (between stages), and
//! this observer answers from Python's pending signals, so a KeyboardInterrupt ends a run
//! that works with the GIL released instead of surfacing only when it returns.

use pyo3::prelude::*;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use storyclust::progress::PipelineObserver;

/// Python's signal handlers are asked at most this often (each check takes the GIL).
const EVERY: Duration = Duration::from_millis(100);

/// Checks Python's signals when the library asks whether to stop, and keeps the error the
/// check raised (KeyboardInterrupt for Ctrl-C) to raise it when the run ends.
pub(crate) struct Signals {
    last_check: Mutex<Option<Instant>>,
    raised: Mutex<Option<PyErr>>,
}

impl Signals {
    pub(crate) fn new() -> Signals {
        Signals {
            last_check: Mutex::new(None),
            raised: Mutex::new(None),
        }
    }

    /// The run's result as Python sees it: `Interrupted` becomes the error the signal
    /// handler raised; any other library error goes through `to_py`.
    pub(crate) fn result<T>(
        &self,
        result: Result<T, storyclust::Error>,
        to_py: fn(storyclust::Error) -> PyErr,
    ) -> PyResult<T> {
        match result {
            Err(storyclust::Error::Interrupted) => Err(self
                .raised()
                .unwrap_or_else(|| pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted"))),
            other => other.map_err(to_py),
        }
    }

    /// Asks for a stop by hand (between steps the library does not observe).
    pub(crate) fn stop_here(&self) -> Result<(), storyclust::Error> {
        match self.should_stop() {
            true => Err(storyclust::Error::Interrupted),
            false => Ok(()),
        }
    }

    fn raised(&self) -> Option<PyErr> {
        self.raised.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl PipelineObserver for Signals {
    fn should_stop(&self) -> bool {
        let mut raised = self.raised.lock().unwrap_or_else(|e| e.into_inner());
        if raised.is_some() {
            return true;
        }
        {
            let mut last = self.last_check.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|t| t.elapsed() < EVERY) {
                return false;
            }
            *last = Some(Instant::now());
        }
        // Only the main thread runs Python's handlers; elsewhere this finds nothing.
        if let Err(e) = Python::with_gil(|py| py.check_signals()) {
            *raised = Some(e);
        }
        raised.is_some()
    }
}
