//! BagIt tag files (RFC 8493; docs/FORMAT.md §4) from raw bytes: the
//! SHA-256 manifests, `bag-info.txt`, `bagit.txt` and manifest path
//! escapes. Must never panic; whatever parses must round-trip through the
//! writer, and the writer's output must be its own canonical form.

#![no_main]

use docseal::bagit::{self, BagInfo, Manifest};
use libfuzzer_sys::fuzz_target;

fn manifest(data: &[u8]) {
    let Ok(m) = Manifest::parse(data) else {
        return;
    };
    let text = m.to_text();
    let again = Manifest::parse(text.as_bytes()).expect("to_text parses back");
    assert_eq!(again.to_text(), text, "to_text is canonical");
    let mut sorted = m.entries.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(again.entries, sorted, "manifest round trip (sorted)");
    for (path, digest) in &m.entries {
        assert_eq!(m.get(path), Some(digest), "get finds every entry");
    }
    assert_eq!(m.to_map().len(), m.entries.len(), "paths are unique");
}

fn bag_info(data: &[u8]) {
    let Ok(info) = BagInfo::parse(data) else {
        return;
    };
    // Folded continuation lines may make a value too long for one line;
    // otherwise the writer must accept what the reader produced.
    let Ok(text) = info.to_text() else {
        return;
    };
    let again = BagInfo::parse(text.as_bytes()).expect("to_text parses back");
    assert_eq!(again, info, "bag-info round trip");
    if let Some(oxum) = info.get("Payload-Oxum") {
        if let Ok((bytes, files)) = bagit::parse_payload_oxum(oxum) {
            assert_eq!(bagit::payload_oxum(bytes, files), oxum, "one Oxum spelling");
        }
    }
}

fn paths(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let encoded = bagit::encode_path(s);
    assert_eq!(
        bagit::decode_path(&encoded).as_deref(),
        Ok(s),
        "decode(encode(s)) == s"
    );
    if let Ok(decoded) = bagit::decode_path(s) {
        let canonical = bagit::encode_path(&decoded);
        assert_eq!(
            bagit::decode_path(&canonical).as_deref(),
            Ok(decoded.as_str()),
            "decode(encode(decode(s))) == decode(s)"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    manifest(data);
    bag_info(data);
    let _ = bagit::check_bagit_txt(data);
    paths(data);
});
