//! `docseal.toml` (docs/FORMAT.md §9) and an archivist's `NOTES.toml`
//! (§11) from UTF-8 text. Must never panic; a parsed description must
//! validate again (parsing already validated it), every path-derived
//! default title must be computable, and parsed notes must resolve against
//! an empty base without panicking.

#![no_main]

use docseal::description::{Description, NotesFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Description::default_title(text);
    if let Ok(n) = NotesFile::parse_all(text) {
        assert!(n.notes.title.as_deref().is_some_and(|t| !t.is_empty()));
        let _ = n.against(None, Vec::new());
    }
    let Ok(d) = Description::parse(text) else {
        return;
    };
    assert_eq!(d.validate(), Ok(()), "a parsed description validates");
    let _ = format!("{d:?}");
});
