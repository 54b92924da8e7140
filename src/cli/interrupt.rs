//! Ctrl-C (SIGINT) and SIGTERM: a clean stop.
//!
//! While a command that writes output runs, the two signals only raise a flag. The batch runner
//! checks it between waves of blocks (through [`treaty::montecarlo::Monitor::should_stop`]) and
//! the command checks it again before it puts any file in place; either way it stops with
//! [`Interrupted`], its temporary files are removed, and `main` exits with 130 (SIGINT) or 143
//! (SIGTERM), the shell's 128 + signal number. Files named by `--out` and `--per-run` are then
//! absent or exactly as they were before the command started (see [`super::output`]).
//!
//! A second signal ends the program at once, with the same exit code, for when the first one is
//! not acted on fast enough: outputs are still never half-written, but a temporary file
//! (`.NAME.PID.tmp` beside the output) may be left behind.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};

/// The signal that stopped a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT, from Ctrl-C in a terminal.
    Interrupt,
    /// SIGTERM, from `kill` or a scheduler cancelling a job.
    Terminate,
}

impl Signal {
    /// The exit code: 128 + the signal number, as a shell reports a program the signal killed.
    pub fn exit_code(self) -> i32 {
        match self {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT (Ctrl-C)",
            Signal::Terminate => "SIGTERM",
        }
    }
}

/// A command stopped by a signal before it finished; nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("interrupted by {}{progress}; no output was written", signal.name())]
pub struct Interrupted {
    /// The signal.
    pub signal: Signal,
    /// How far the work had got, e.g. ` after 12000 of 1000000 runs` (may be empty).
    pub progress: String,
}

/// Listens for SIGINT and SIGTERM from [`Interrupt::listen`] on, for the rest of the process.
#[derive(Debug, Clone)]
pub struct Interrupt {
    received: Arc<AtomicUsize>,
}

impl Interrupt {
    /// Replaces the default action of SIGINT and SIGTERM (ending the process) by raising the
    /// flag; a second signal still ends the process at once.
    pub fn listen() -> anyhow::Result<Interrupt> {
        let received = Arc::new(AtomicUsize::new(0));
        let armed = Arc::new(AtomicBool::new(false));
        for (signal, code) in [
            (SIGINT, Signal::Interrupt.exit_code()),
            (SIGTERM, Signal::Terminate.exit_code()),
        ] {
            // The shutdown must be registered first: it runs before the flag is raised, so only
            // a second signal finds it armed.
            signal_hook::flag::register_conditional_shutdown(signal, code, Arc::clone(&armed))?;
            signal_hook::flag::register_usize(signal, Arc::clone(&received), signal as usize)?;
            signal_hook::flag::register(signal, Arc::clone(&armed))?;
        }
        Ok(Interrupt { received })
    }

    /// The signal received, if any (the last one, if several).
    pub fn received(&self) -> Option<Signal> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            s if s == SIGTERM as usize => Some(Signal::Terminate),
            _ => Some(Signal::Interrupt),
        }
    }

    /// `Err(Interrupted)` if a signal has arrived; `progress` says how far the work got.
    pub fn check(&self, progress: impl FnOnce() -> String) -> Result<(), Interrupted> {
        match self.received() {
            None => Ok(()),
            Some(signal) => Err(Interrupted {
                signal,
                progress: progress(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_128_plus_the_signal_number() {
        assert_eq!(Signal::Interrupt.exit_code(), 128 + SIGINT);
        assert_eq!(Signal::Terminate.exit_code(), 128 + SIGTERM);
    }

    #[test]
    fn the_message_names_the_signal_and_the_progress() {
        let e = Interrupted {
            signal: Signal::Terminate,
            progress: " after 3000 of 10000 runs".into(),
        };
        assert_eq!(
            e.to_string(),
            "interrupted by SIGTERM after 3000 of 10000 runs; no output was written"
        );
    }

    #[test]
    fn a_flag_without_a_signal_lets_the_work_go_on() {
        let interrupt = Interrupt {
            received: Arc::new(AtomicUsize::new(0)),
        };
        assert!(interrupt.check(String::new).is_ok());
        interrupt.received.store(SIGTERM as usize, Ordering::SeqCst);
        let e = interrupt.check(String::new).unwrap_err();
        assert_eq!(e.signal, Signal::Terminate);
    }
}
