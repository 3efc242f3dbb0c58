//! A parser differential (issue 10 §1): docseal's lenient zip reader
//! (`--allow-repacked`) against the `zip` crate on the same bytes.
//! Whenever docseal opens an archive and reads every entry to a clean end
//! (what verify needs to say VALID), the `zip` crate must open it too and
//! yield exactly the same regular files: names and bytes, no link.

#![no_main]

mod scratch;

use std::io::{Cursor, Read};

use docseal::container::{Limits, Mode, ZipReader};
use libfuzzer_sys::fuzz_target;

/// docseal's (name, bytes) pairs, or `None` if it refuses any of it.
fn ours(data: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let file = scratch::file("differential.zip", data);
    let zip = ZipReader::open(file, Mode::Lenient, &Limits::default()).ok()?;
    let mut out = Vec::with_capacity(zip.entries().len());
    for (i, e) in zip.entries().iter().enumerate() {
        let mut bytes = Vec::new();
        zip.entry_reader(i).ok()?.read_to_end(&mut bytes).ok()?;
        out.push((e.name.clone(), bytes));
    }
    Some(out)
}

/// The `zip` crate's regular files, failing loudly where it cannot read
/// what docseal accepted.
fn theirs(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(Cursor::new(data))
        .unwrap_or_else(|e| panic!("the zip crate refuses an archive docseal accepts: {e}"));
    let mut out = Vec::new();
    for i in 0..a.len() {
        let mut f = a
            .by_index(i)
            .unwrap_or_else(|e| panic!("the zip crate cannot open entry {i}: {e}"));
        if f.is_dir() {
            continue;
        }
        assert!(!f.is_symlink(), "the zip crate sees a link: {}", f.name());
        let name = f.name().to_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("the zip crate cannot read {name:?}: {e}"));
        out.push((name, bytes));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some(mut ours) = ours(data) else {
        return;
    };
    let mut theirs = theirs(data);
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs, "docseal and the zip crate read different entries");
});
