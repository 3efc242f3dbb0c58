//! The strict zip reader (docs/FORMAT.md §3) on raw bytes, in both modes,
//! reading every entry to its end. Must never panic and never allocate
//! beyond its limits (libFuzzer's -rss_limit_mb / -malloc_limit_mb catch
//! that); entry streams never yield more than the declared size.

#![no_main]

mod scratch;

use std::io::Read;

use docseal::container::{Limits, Mode, ZipReader};
use libfuzzer_sys::fuzz_target;

/// Reads every entry of `zip` to its end, checking the declared size of
/// every stream that ends cleanly.
fn read_all(zip: &ZipReader) {
    let mut buf = vec![0u8; 64 * 1024];
    for (i, entry) in zip.entries().iter().enumerate() {
        let Ok(mut r) = zip.entry_reader(i) else {
            continue;
        };
        let mut total: u64 = 0;
        loop {
            match r.read(&mut buf) {
                Ok(0) => {
                    assert_eq!(total, entry.size, "a clean end means the declared size");
                    break;
                }
                Ok(n) => {
                    total += n as u64;
                    assert!(total <= entry.size, "a stream yields more than declared");
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
    }
    assert!(
        zip.entry_reader(zip.entries().len()).is_err(),
        "no entry past the end"
    );
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for mode in [Mode::Canonical, Mode::Lenient] {
        let Ok(zip) = ZipReader::open(scratch::file("archive.zip", data), mode, &limits) else {
            continue;
        };
        assert_eq!(zip.mode(), mode);
        assert!(zip.entries().len() <= limits.max_entries as usize);
        let declared: u64 = zip.entries().iter().map(|e| e.size).sum();
        assert!(
            declared <= limits.max_total_size,
            "total size within limits"
        );
        read_all(&zip);
    }
});
