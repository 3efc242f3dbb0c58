//! `docseal.toml` (docs/FORMAT.md §9) from UTF-8 text. Must never panic;
//! a parsed description must validate again (parsing already validated it),
//! and every path-derived default title must be computable.

#![no_main]

use docseal::description::Description;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Description::default_title(text);
    let Ok(d) = Description::parse(text) else {
        return;
    };
    assert_eq!(d.validate(), Ok(()), "a parsed description validates");
    let _ = format!("{d:?}");
});
