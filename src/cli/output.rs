//! Output files written atomically: bytes go to a temporary file in the target's directory,
//! which is renamed over the target only once everything is written and synced. An interrupted
//! or failed run leaves the target absent or as it was, never half-written.
//!
//! A command with several outputs writes them all or none: [`commit_all`] finishes every
//! temporary file (and standard output) before it renames any of them into place, so a failure
//! in one output (a full disk) leaves every target as it was.
//!
//! A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
//! written in place instead: renaming a file over it would replace the device or pipe itself
//! (and, run as root, turn `/dev/null` into a regular file).
//!
//! [`check_paths`] refuses two outputs that name one file by different spellings, and an output
//! that names one of the command's inputs.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::Context;

use super::BadInput;

/// Standard output could not take the report because its reader has gone (a broken pipe, as
/// in `treaty run ... | head -1`): the program stops quietly with success.
#[derive(Debug, thiserror::Error)]
#[error("standard output: its reader has gone (broken pipe)")]
pub struct StdoutGone;

/// Whether standard output was closed when the program started (see [`guard_standard_streams`]).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Temporary files made by this process so far: part of each temporary's name, so two outputs
/// of one command never share a temporary file.
static TEMPORARIES: AtomicU64 = AtomicU64::new(0);

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// Notes, before anything is opened, whether standard output was closed by the caller
/// (`treaty run ... >&-`), so that writing the report there fails instead of vanishing.
///
/// The Rust runtime puts `/dev/null`, opened for reading and writing, in place of a closed
/// standard stream before `main` runs; a standard output that is `/dev/null` open for reading
/// and writing is taken as closed (a shell's `>/dev/null` opens it for writing only).
pub fn guard_standard_streams() {
    if stdout_was_closed() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

#[cfg(target_os = "linux")]
fn stdout_was_closed() -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let Ok(meta) = std::fs::metadata("/proc/self/fd/1") else {
        return false;
    };
    // /dev/null is the character device 1:3.
    if !meta.file_type().is_char_device() || meta.rdev() != ((1 << 8) | 3) {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 == 0o2)
}

#[cfg(not(target_os = "linux"))]
fn stdout_was_closed() -> bool {
    false
}

/// Writes `bytes` to standard output. A broken pipe is [`StdoutGone`] (success for the
/// program); any other failure, a closed standard output included, is an error.
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(anyhow::anyhow!(
            "standard output: cannot write: it is closed (give --out FILE to write to a file)"
        ));
    }
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(StdoutGone.into()),
        Err(e) => Err(anyhow::Error::new(e).context("standard output: cannot write")),
    }
}

/// `--out -` means standard output: the path, or `None` for standard output.
pub fn out_path(out: Option<&Path>) -> Option<&Path> {
    out.filter(|p| p.as_os_str() != "-")
}

/// What a path names, to tell whether two spellings are one file.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    /// An existing file: its device and inode (its canonical path where there are none).
    #[cfg(unix)]
    Inode(u64, u64),
    /// A canonical path.
    Path(PathBuf),
}

/// The identity of an existing regular file; `None` for a device, a pipe or a directory, which
/// are never replaced, and for a path that names nothing.
fn existing_identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(Identity::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(Identity::Path)
    }
}

/// The identity of an output: as [`existing_identity`] if the path names something, else its
/// canonical folder and its file name.
fn output_identity(path: &Path) -> Option<Identity> {
    if std::fs::metadata(path).is_ok() {
        return existing_identity(path);
    }
    let name = path.file_name()?;
    let dir = std::fs::canonicalize(parent_dir(path)).ok()?;
    Some(Identity::Path(dir.join(name)))
}

/// The folder a file is in (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses two outputs that name one file, however spelled (`a.csv`, `./a.csv`, `$PWD/a.csv`,
/// a link), and an output that names an input, which writing it would overwrite.
///
/// `outputs` are (option, path) pairs, e.g. `("--out", path)`; `inputs` are (what, path) pairs,
/// e.g. `("the scenario", path)`. Devices and pipes are written in place, never replaced, so
/// they may be named more than once.
pub fn check_paths(outputs: &[(&str, &Path)], inputs: &[(&str, &Path)]) -> Result<(), BadInput> {
    let outs: Vec<_> = outputs
        .iter()
        .map(|&(flag, path)| (flag, path, output_identity(path)))
        .collect();
    for (k, (flag, path, id)) in outs.iter().enumerate() {
        let Some(id) = id else { continue };
        if let Some((earlier, earlier_path, _)) = outs[..k]
            .iter()
            .find(|(_, _, other)| other.as_ref() == Some(id))
        {
            return Err(BadInput(format!(
                "{flag} and {earlier} name the same file ({} and {}); give each its own",
                path.display(),
                earlier_path.display()
            )));
        }
        for &(what, input) in inputs {
            if existing_identity(input).as_ref() == Some(id) {
                return Err(BadInput(format!(
                    "{flag} {} is {what} {}, an input: writing it would overwrite it; \
                     give another file",
                    path.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(())
}

/// The name of a temporary file for the target `name`: `.NAME.PID.K.tmp`, with K counted per
/// process, NAME shortened so that the whole stays within [`NAME_MAX`] bytes.
fn temporary_name(name: &OsStr) -> OsString {
    let suffix = format!(
        ".{}.{}.tmp",
        std::process::id(),
        TEMPORARIES.fetch_add(1, Ordering::Relaxed)
    );
    let name = name.to_string_lossy();
    let room = NAME_MAX - 1 - suffix.len();
    let mut end = name.len().min(room);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    OsString::from(format!(".{}{suffix}", &name[..end]))
}

/// A file being written: renamed into place by [`AtomicFile::commit`] (or [`commit_all`]),
/// removed if dropped before.
pub struct AtomicFile {
    path: PathBuf,
    /// The temporary file, or `None` when writing in place to a device or pipe.
    tmp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path` (through `.NAME.PID.K.tmp` beside it; in place if `path` is an
    /// existing device or pipe).
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let shown = path.display();
        if path.is_dir() {
            return Err(BadInput(format!("{shown}: is a directory, not a file")).into());
        }
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| BadInput(format!("{shown}: cannot write here: {e}")))?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                tmp: None,
                file: Some(BufWriter::new(file)),
            });
        }
        let name = path
            .file_name()
            .ok_or_else(|| BadInput(format!("{shown}: not a file name")))?;
        let tmp = parent_dir(path).join(temporary_name(name));
        // Registered, so that a signal that ends the program removes it.
        let file = super::interrupt::create_temporary(&tmp, |p| File::create(p))
            .map_err(|e| BadInput(format!("{shown}: cannot write here: {e}")))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            file: Some(BufWriter::new(file)),
        })
    }

    /// The file being written (the target, not the temporary file).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place (removing the temporary file on failure).
    pub fn commit(self) -> anyhow::Result<()> {
        commit_all(vec![self], None)
    }

    /// Writes out what is buffered and syncs the temporary file: everything but the rename.
    fn settle(&mut self) -> anyhow::Result<()> {
        let shown = self.path.display();
        let Some(w) = self.file.as_mut() else {
            return Ok(());
        };
        w.flush()
            .with_context(|| format!("{shown}: cannot write"))?;
        if self.tmp.is_some() {
            w.get_ref()
                .sync_all()
                .with_context(|| format!("{shown}: cannot write"))?;
        }
        Ok(())
    }

    /// Closes the settled file and renames it over the target.
    fn put_in_place(mut self) -> anyhow::Result<()> {
        drop(self.file.take());
        let Some(tmp) = self.tmp.take() else {
            // A device or pipe: nothing to rename.
            return Ok(());
        };
        let renamed = std::fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow::Error::new(e).context(format!(
                "{}: cannot put the finished file in place",
                self.path.display()
            ))
        });
        super::interrupt::forget_temporary(&tmp);
        renamed
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed: what is still buffered is discarded, not written.
        if let Some(w) = self.file.take() {
            drop(w.into_parts());
        }
        if let Some(tmp) = self.tmp.take() {
            let _ = std::fs::remove_file(&tmp);
            super::interrupt::forget_temporary(&tmp);
        }
    }
}

/// Puts every output in place, or none: writes out and syncs every file, then writes `stdout`
/// (if given) to standard output, then renames the files into place. If a file or standard
/// output fails, every temporary file is removed and no target is replaced. A broken pipe on
/// standard output does not stop the files (and gives [`StdoutGone`] after them).
pub fn commit_all(mut files: Vec<AtomicFile>, stdout: Option<&[u8]>) -> anyhow::Result<()> {
    for f in &mut files {
        f.settle()?;
    }
    let printed = match stdout.map(write_stdout) {
        Some(Err(e)) if !e.is::<StdoutGone>() => return Err(e),
        Some(Err(e)) => Err(e),
        _ => Ok(()),
    };
    for f in files {
        f.put_in_place()?;
    }
    printed
}

/// Writes `bytes` to `path` atomically, or to stdout without a path.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            let mut f = AtomicFile::create(path)?;
            f.write_all(bytes)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            f.commit()
        }
        None => write_stdout(bytes),
    }
}

/// Notes on stderr an `--out` file named like a web page when no page is asked for: `--out`
/// writes the table (or JSON, or CSV), `--html` the page.
pub fn warn_html_out(out: Option<&Path>, html: Option<&Path>, format_is_html: bool) {
    let Some(out) = out else { return };
    let page = out
        .extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if page && html.is_none() && !format_is_html {
        eprintln!(
            "treaty: --out {0} writes the table; did you mean --html {0}?",
            out.display()
        );
    }
}

/// The worker threads to use: `threads` capped at four per core, with a note on stderr when
/// capped (the result never depends on the thread count).
pub fn cap_threads(threads: Option<usize>) -> Option<usize> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = cores.saturating_mul(4);
    threads.map(|t| {
        if t > cap {
            eprintln!("treaty: --threads {t} capped at {cap} (4 × {cores} cores)");
            cap
        } else {
            t
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_temporary_has_a_name_of_its_own_within_255_bytes() {
        let a = temporary_name(OsStr::new("a.csv"));
        let b = temporary_name(OsStr::new("a.csv"));
        assert_ne!(a, b);
        let pid = std::process::id().to_string();
        assert!(a.to_string_lossy().starts_with(".a.csv."));
        assert!(a.to_string_lossy().contains(&pid));
        for len in [200, 245, 250, 255] {
            let long = "é".repeat(len / 2) + &"x".repeat(len % 2);
            assert_eq!(long.len(), len);
            let tmp = temporary_name(OsStr::new(&long));
            assert!(tmp.len() <= NAME_MAX, "{len}: {}", tmp.len());
            assert!(tmp.to_string_lossy().ends_with(".tmp"));
        }
    }
}
