//! Hostile tag-file text never panics any parser of the bag check.

use proptest::prelude::*;

use super::digest::Algorithm;
use super::findings::Findings;
use super::manifest::{self, Entries, Kind, ManifestFile};
use super::text::{self, Encoding};
use super::{declaration, fetch, info, paths};

const ENCODINGS: [Encoding; 6] = [
    Encoding::Utf8,
    Encoding::Ascii,
    Encoding::Latin1,
    Encoding::Utf16(None),
    Encoding::Utf16(Some(text::Endian::Big)),
    Encoding::Utf16(Some(text::Endian::Little)),
];

/// Bytes that look like tag files often enough to reach deep branches.
fn tagish() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b"BagIt-Version: 1.0\n".to_vec()),
            Just(b"Tag-File-Character-Encoding: UTF-8\r\n".to_vec()),
            Just(b"d41d8cd98f00b204e9800998ecf8427e  data/x\r".to_vec()),
            Just(b"http://h/x - data/x\n".to_vec()),
            Just(b"  folded\n".to_vec()),
            Just(b"%0A%25%\\~/../*./:".to_vec()),
            Just("\u{feff}Núñez\u{301}".as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..16),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn parsers_never_panic(bytes in tagish(), version in (0u32..3, 0u32..100)) {
        let mut f = Findings::default();
        let _ = declaration::parse(&bytes, &mut f);
        for enc in ENCODINGS {
            let Ok(d) = text::decode(&bytes, enc) else { continue };
            let _ = info::parse(&d.text, "bag-info.txt", &mut f);
            let _ = fetch::parse(&d.text, version, &mut f);
            for kind in [Kind::Payload, Kind::Tag] {
                let m = ManifestFile { name: "manifest-md5.txt".into(), kind, alg: Algorithm::Md5 };
                manifest::parse(&d.text, &m, version, &mut Entries::new(), &mut f);
            }
            let _ = paths::parse(&d.text, version);
            let _ = info::parse_oxum(&d.text);
        }
    }

    #[test]
    fn accepted_paths_stay_inside_the_bag(raw in "[a-z./\\\\~%0-9AD:]{0,24}") {
        if let Ok(p) = paths::parse(&raw, (1, 0)) {
            prop_assert!(!p.path.starts_with('/') && !p.path.starts_with('~'));
            prop_assert!(!p.path.contains('\\'));
            prop_assert!(p.path.split('/').all(|s| !s.is_empty() && s != "." && s != ".."));
        }
    }
}
