//! A scratch file beside an output, read back once it is written: the per-run CSV rows a
//! Parquet file is made from. It is removed when dropped, whatever happened.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::BadInput;

/// A scratch file `.NAME.PID.rows.tmp` beside `NAME`.
pub struct Spill {
    path: PathBuf,
    file: Option<BufWriter<File>>,
}

impl Spill {
    /// A scratch file beside `target`.
    pub fn beside(target: &Path) -> anyhow::Result<Self> {
        let shown = target.display();
        let name = target
            .file_name()
            .ok_or_else(|| BadInput(format!("{shown}: not a file name")))?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut scratch = std::ffi::OsString::from(".");
        scratch.push(name);
        scratch.push(format!(".{}.rows.tmp", std::process::id()));
        let path = dir.join(scratch);
        let file = super::interrupt::create_temporary(&path, |p| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(p)
        })
        .map_err(|e| BadInput(format!("{shown}: cannot write here: {e}")))?;
        Ok(Spill {
            path,
            file: Some(BufWriter::new(file)),
        })
    }

    /// Everything written, from its start, for reading.
    pub fn reader(&mut self) -> io::Result<File> {
        let w = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("the scratch file was already read"))?;
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("the scratch file is closed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.file.take();
        let _ = std::fs::remove_file(&self.path);
        super::interrupt::forget_temporary(&self.path);
    }
}
