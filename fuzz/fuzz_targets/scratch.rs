//! A per-process scratch file for targets whose API reads a path or a
//! `File`: each input overwrites it, so a long run leaves one small file.

// Not every target uses every helper.
#![allow(dead_code)]

use std::fs::{self, File};
use std::path::PathBuf;

/// The scratch file's path: in `TMPDIR` (set it to a tmpfs such as
/// `/dev/shm` for speed), named by the process id so parallel runs never
/// share one.
pub fn path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("docseal-fuzz-{}-{name}", std::process::id()))
}

/// Writes `data` to the scratch file `name` and returns its path. A failure
/// here is the machine's, not docseal's, so it aborts the run loudly.
pub fn write(name: &str, data: &[u8]) -> PathBuf {
    let p = path(name);
    fs::write(&p, data).expect("write the scratch file");
    p
}

/// Writes `data` and opens it again for reading.
pub fn file(name: &str, data: &[u8]) -> File {
    File::open(write(name, data)).expect("reopen the scratch file")
}
