//! One program per data folder: a second copy of the app (or a writing command) on the same
//! folder is refused instead of selling into the same database.
//!
//! The lock is an OS file lock (`flock` on Unix, `LockFileEx` on Windows) on
//! `DATA_DIR/ocop-pos.lock`. The kernel drops it when the process ends, however it ends — even
//! by SIGKILL or a power cut — so there is never a stale lock to clean up by hand. The file only
//! carries the holder's process id, to name it in the refusal.

use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside the data folder.
pub const LOCK_FILE: &str = "ocop-pos.lock";

/// Proof that this process alone works on a data folder; dropping it releases the folder.
#[derive(Debug)]
pub struct DataLock {
    // Held only for its open file description: closing it releases the lock.
    _file: File,
    path: PathBuf,
}

#[derive(Debug)]
pub enum LockError {
    /// Another process holds the folder; its process id when it could be read.
    InUse { holder: Option<u32> },
    /// The lock file cannot be created or locked (a read-only or missing folder).
    Io(std::io::Error),
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockError::InUse { holder: Some(pid) } => {
                write!(f, "the data folder is in use by process {pid}")
            }
            LockError::InUse { holder: None } => write!(f, "the data folder is in use"),
            LockError::Io(error) => write!(f, "the data folder cannot be locked: {error}"),
        }
    }
}

impl std::error::Error for LockError {}

impl DataLock {
    /// Takes the folder's lock without waiting, creating the folder if needed.
    pub fn acquire(data_dir: &Path) -> Result<DataLock, LockError> {
        std::fs::create_dir_all(data_dir).map_err(LockError::Io)?;
        let path = data_dir.join(LOCK_FILE);
        // Not truncated on open: until we hold the lock, the content is the holder's id.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::InUse {
                    holder: read_holder(&mut file),
                });
            }
            Err(TryLockError::Error(error)) => return Err(LockError::Io(error)),
        }
        // The id is only for the message a second copy shows: failing to write it is harmless.
        let _ = file
            .set_len(0)
            .and_then(|()| write!(file, "{}", std::process::id()))
            .and_then(|()| file.flush());
        Ok(DataLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The holder's process id, when the lock file can be read (Windows' lock forbids it).
fn read_holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path()).unwrap();
        // flock locks belong to the open file, so a second open in the same process conflicts
        // exactly as another process would.
        match DataLock::acquire(dir.path()) {
            Err(LockError::InUse { holder }) => assert_eq!(holder, Some(std::process::id())),
            other => panic!("second lock was not refused: {other:?}"),
        }
        drop(first);
        DataLock::acquire(dir.path()).expect("free again once dropped");
    }
}
