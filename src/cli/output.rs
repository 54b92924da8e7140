//! Output files written atomically: bytes go to a temporary file in the target's directory,
//! which is renamed over the target only once everything is written and synced. An interrupted
//! or failed run leaves the target absent or as it was, never half-written.
//!
//! A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
//! written in place instead: renaming a file over it would replace the device or pipe itself
//! (and, run as root, turn `/dev/null` into a regular file).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::BadInput;

/// A file being written: renamed into place by [`AtomicFile::commit`], removed if dropped
/// before.
pub struct AtomicFile {
    path: PathBuf,
    /// The temporary file, or `None` when writing in place to a device or pipe.
    tmp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path` (through `.NAME.PID.tmp` beside it; in place if `path` is an
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
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}.tmp", std::process::id()));
        let tmp = dir.join(tmp_name);
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
    pub fn commit(mut self) -> anyhow::Result<()> {
        let shown = self.path.display().to_string();
        let result = self.finish(&shown);
        if let Some(tmp) = &self.tmp {
            if result.is_err() {
                let _ = std::fs::remove_file(tmp);
            }
            super::interrupt::forget_temporary(tmp);
        }
        result
    }

    fn finish(&mut self, shown: &str) -> anyhow::Result<()> {
        let Some(w) = self.file.take() else {
            return Ok(());
        };
        let file = w
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("{shown}: cannot write"))?;
        let Some(tmp) = &self.tmp else {
            // A device or pipe: nothing to sync or rename.
            return Ok(());
        };
        file.sync_all()
            .with_context(|| format!("{shown}: cannot write"))?;
        std::fs::rename(tmp, &self.path)
            .with_context(|| format!("{shown}: cannot put the finished file in place"))
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
            if let Some(tmp) = &self.tmp {
                let _ = std::fs::remove_file(tmp);
                super::interrupt::forget_temporary(tmp);
            }
        }
    }
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
        None => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            Ok(())
        }
    }
}
