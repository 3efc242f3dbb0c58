//! Embeds every pinned publisher key (`keys/*.pub` of the repository) into
//! the page's wasm, in file-name order, so the page verifies against
//! exactly the keys of the commit it was built from.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let keys = manifest.join("../../keys");
    println!("cargo:rerun-if-changed={}", keys.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&keys)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "pub"));
    files.sort();
    let mut out =
        String::from("/// The pinned keys' `.pub` texts.\npub const PINNED: &[&str] = &[\n");
    for f in &files {
        // The text itself, not a path: nothing of this machine enters the wasm.
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let _ = writeln!(out, "    {text:?},");
        println!("cargo:rerun-if-changed={}", f.display());
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("pinned.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
