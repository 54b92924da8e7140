//! Ctrl-C (SIGINT) and SIGTERM: a clean stop, and never a temporary file left behind.
//!
//! Signals are received by a thread of their own (started by [`Interrupt::listen`], or by the
//! first temporary file a command creates), never by the default action that would end the
//! process on the spot.
//!
//! While a command that writes output runs (it called [`Interrupt::listen`]), the first signal
//! only raises a flag. The batch runner checks it before every run (one atomic load, through
//! [`treaty::montecarlo::Monitor::stop_flag`]), so a stop is seen within one run's time, and the
//! command checks it again before it puts any file in place; either way it stops with
//! [`Interrupted`], its temporary files are removed, and `main` exits with 130 (SIGINT) or 143
//! (SIGTERM), the shell's 128 + signal number. Files named by `--out` and `--per-run` are then
//! absent or exactly as they were before the command started (see [`super::output`]).
//!
//! A second signal, or a first one while no command listens, ends the program at once, with the
//! exit code of the first signal, but only after the signal thread has removed every temporary
//! file still registered ([`create_temporary`]). Outputs are never half-written and no temporary
//! is left on any signal but SIGKILL.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use signal_hook::consts::{SIGINT, SIGTERM};
use treaty::montecarlo::StopFlag;

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

/// The process-wide state the signal thread shares with the commands.
struct Shared {
    /// The first signal's number, 0 before one arrives.
    received: Arc<AtomicUsize>,
    /// Raised with the first signal a listening command receives.
    stop: StopFlag,
    /// Whether a command listens (the first signal only raises the flag).
    listening: AtomicBool,
    /// The temporary files that exist now.
    temporaries: Mutex<Vec<PathBuf>>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| Shared {
        received: Arc::new(AtomicUsize::new(0)),
        stop: StopFlag::new(),
        listening: AtomicBool::new(false),
        temporaries: Mutex::new(Vec::new()),
    })
}

/// Starts the signal thread, once per process.
fn watch() -> std::io::Result<()> {
    static WATCHING: OnceLock<Result<(), String>> = OnceLock::new();
    WATCHING
        .get_or_init(|| {
            let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
                .map_err(|e| format!("cannot listen for signals: {e}"))?;
            std::thread::Builder::new()
                .name("treaty-signals".into())
                .spawn(move || {
                    for signal in signals.forever() {
                        on_signal(signal);
                    }
                })
                .map(drop)
                .map_err(|e| format!("cannot start the signal thread: {e}"))
        })
        .clone()
        .map_err(std::io::Error::other)
}

/// What the signal thread does with each signal (module docs).
fn on_signal(number: i32) {
    let state = shared();
    let first = state
        .received
        .compare_exchange(0, number as usize, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok();
    if first && state.listening.load(Ordering::SeqCst) {
        state.stop.raise();
        return;
    }
    let signal = signal_of(state.received.load(Ordering::SeqCst));
    // The lock is held until the process ends, so no temporary can be created after the sweep.
    let temporaries = state
        .temporaries
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for path in temporaries.iter() {
        let _ = std::fs::remove_file(path);
    }
    let _ = writeln!(
        std::io::stderr(),
        "treaty: interrupted by {}; stopped at once, no output was written",
        signal.name()
    );
    signal_hook::low_level::exit(signal.exit_code());
}

fn signal_of(number: usize) -> Signal {
    if number == SIGTERM as usize {
        Signal::Terminate
    } else {
        Signal::Interrupt
    }
}

/// Creates the temporary file `path` with `create`, registered so that a signal that ends the
/// program removes it; [`forget_temporary`] once it is renamed or removed.
pub(super) fn create_temporary<T>(
    path: &Path,
    create: impl FnOnce(&Path) -> std::io::Result<T>,
) -> std::io::Result<T> {
    watch()?;
    let mut temporaries = shared()
        .temporaries
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let made = create(path)?;
    temporaries.push(path.to_path_buf());
    Ok(made)
}

/// Takes `path` off the register of temporary files (it was renamed into place or removed).
pub(super) fn forget_temporary(path: &Path) {
    let mut temporaries = shared()
        .temporaries
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(i) = temporaries.iter().position(|p| p == path) {
        temporaries.swap_remove(i);
    }
}

/// Listens for SIGINT and SIGTERM from [`Interrupt::listen`] on, for the rest of the process.
#[derive(Debug, Clone)]
pub struct Interrupt {
    received: Arc<AtomicUsize>,
    stop: StopFlag,
}

impl Interrupt {
    /// Makes the first SIGINT or SIGTERM raise the flag instead of ending the process; a second
    /// one removes the temporary files and ends the process (module docs).
    pub fn listen() -> anyhow::Result<Interrupt> {
        watch()?;
        let state = shared();
        state.listening.store(true, Ordering::SeqCst);
        Ok(Interrupt {
            received: Arc::clone(&state.received),
            stop: state.stop.clone(),
        })
    }

    /// An `Interrupt` that no signal reaches, for tests.
    #[cfg(test)]
    pub(super) fn unheard() -> Interrupt {
        Interrupt {
            received: Arc::new(AtomicUsize::new(0)),
            stop: StopFlag::new(),
        }
    }

    /// The flag the first signal raises, for the batch runner's workers.
    pub fn stop_flag(&self) -> StopFlag {
        self.stop.clone()
    }

    /// The signal received, if any (the first one, if several).
    pub fn received(&self) -> Option<Signal> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            s => Some(signal_of(s)),
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
            stop: StopFlag::new(),
        };
        assert!(interrupt.check(String::new).is_ok());
        interrupt.received.store(SIGTERM as usize, Ordering::SeqCst);
        let e = interrupt.check(String::new).unwrap_err();
        assert_eq!(e.signal, Signal::Terminate);
    }

    #[test]
    fn temporaries_are_registered_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".x.tmp");
        let file = create_temporary(&path, |p| std::fs::File::create(p)).unwrap();
        drop(file);
        let listed = |p: &Path| shared().temporaries.lock().unwrap().iter().any(|q| q == p);
        assert!(listed(&path));
        forget_temporary(&path);
        assert!(!listed(&path));
    }
}
