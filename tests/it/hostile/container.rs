//! Hostile zip structure in whole, re-signed bundles: what the container
//! unit tests check on toy archives, checked here end to end through the
//! CLI, in canonical mode and (where the layout rule holds in every mode)
//! with `--allow-repacked`.

use super::kit::*;
use crate::common::*;

/// Verifies `bytes` in canonical mode and with `--allow-repacked`;
/// both must reject with `want`, and `extract` must write nothing.
#[track_caller]
fn refused_in_both_modes(f: &Fixture, what: &str, bytes: &[u8], want: &str) {
    for extra in [&[][..], &["--allow-repacked"][..]] {
        let (code, errors, report) = check(f, "t.zip", bytes, extra);
        assert_eq!(code, 1, "{what} {extra:?}: {report:#}");
        assert_eq!(errors, [want], "{what} {extra:?}");
    }
    assert_eq!(docseal(&["list", &f.p("t.zip")]).code, 1, "{what}: list");
    assert_extracts_nothing(f, "t.zip");
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn local_header_and_central_directory_must_agree_on_name_and_size() {
    let f = Fixture::new();
    let b = bundle(&f);
    let e = zip_entries(&b)[0].clone();
    let mut name = b.clone();
    // "notes.md" -> "notes.mD" in the local header only.
    name[e.data - 1] = b'D';
    let mut size = b.clone();
    put32(&mut size, e.header + 18, e.size as u32 - 1);
    put32(&mut size, e.header + 22, e.size as u32 - 1);
    refused_in_both_modes(&f, "name", &name, "zip.local-central-mismatch");
    refused_in_both_modes(&f, "size", &size, "zip.local-central-mismatch");
}

#[test]
fn several_end_records_are_refused() {
    let f = Fixture::new();
    let b = bundle(&f);
    // A second, plausible end record hidden in the first one's comment: its
    // central directory "ends" where it starts, so some readers take it.
    let mut in_comment = b.clone();
    let eocd = b.len() - 22;
    put16(&mut in_comment, eocd + 20, 22);
    let mut fake = b[eocd..].to_vec();
    let cd_size = u32::from_le_bytes(fake[12..16].try_into().unwrap());
    put32(&mut fake, 12, cd_size + 22);
    in_comment.extend_from_slice(&fake);
    refused_in_both_modes(&f, "in comment", &in_comment, "zip.multiple-eocd");
    // Two bundles back to back: which one is "the" bundle?
    refused_in_both_modes(
        &f,
        "concatenated",
        &[b.clone(), b].concat(),
        "zip.multiple-eocd",
    );
}

#[test]
fn encrypted_and_data_descriptor_flags_are_refused() {
    let f = Fixture::new();
    let b = bundle(&f);
    let flagged = |bit: u16| {
        let mut x = b.clone();
        let e = zip_entries(&b)[1].clone();
        put16(&mut x, e.header + 6, 0x0800 | bit);
        put16(&mut x, e.central + 8, 0x0800 | bit);
        x
    };
    refused_in_both_modes(&f, "encrypted", &flagged(0x0001), "zip.encrypted-entry");
    refused_in_both_modes(
        &f,
        "strong encryption",
        &flagged(0x0041),
        "zip.encrypted-entry",
    );
    let descriptor = flagged(0x0008);
    let (code, errors, _) = check(&f, "t.zip", &descriptor, &[]);
    assert_eq!((code, errors), (1, vec!["zip.data-descriptor".to_owned()]));
    // Leniently a descriptor is allowed on deflated data only: a reader
    // streaming the file would search stored data for the descriptor.
    let (code, errors, _) = check(&f, "t.zip", &descriptor, &["--allow-repacked"]);
    assert_eq!(
        (code, errors),
        (1, vec!["zip.stored-with-descriptor".to_owned()])
    );
    assert_extracts_nothing(&f, "t.zip");
}

#[test]
fn a_symlink_entry_is_refused_and_nothing_is_written() {
    let f = Fixture::new();
    let mut e = zip_contents(&bundle(&f));
    add(&mut e, b"data/passwd", b"../../etc/passwd");
    let e = resign_entries(&e, &f.path("alice.key"));
    let mut s = specs(&e);
    let link = s
        .iter_mut()
        .find(|s| s.name.ends_with(b"/data/passwd"))
        .expect("entry");
    link.external = 0o120_777 << 16;
    refused_in_both_modes(&f, "symlink", &build_zip(&s), "zip.symlink");
    assert!(!f.path("extracted").exists() && !f.path("etc").exists());
}

#[test]
fn a_central_directory_claiming_60000_entries_is_refused() {
    let f = Fixture::new();
    let mut b = bundle(&f);
    let eocd = b.len() - 22;
    put16(&mut b, eocd + 8, 60_000);
    put16(&mut b, eocd + 10, 60_000);
    refused_in_both_modes(&f, "60000 entries", &b, "zip.bad-central-directory");
}

#[test]
fn an_overlapping_entries_bomb_is_refused() {
    let f = Fixture::new();
    let e = zip_contents(&bundle(&f));
    let mut s = specs(&e);
    let kernel = s[0].clone();
    for i in 0..1000 {
        s.push(Spec {
            name: format!("test-bundle/data/bomb-{i:04}").into_bytes(),
            reuse: Some(0),
            ..kernel.clone()
        });
    }
    refused_in_both_modes(&f, "overlap", &build_zip(&s), "zip.overlapping-entries");
}

/// The entries as a zip, deflating those whose names end with `suffix`.
fn deflating(e: &Entries, suffix: &[u8]) -> Vec<u8> {
    let s: Vec<Spec> = e
        .iter()
        .map(|(n, d)| {
            if n.ends_with(suffix) {
                Spec::deflated(n, d)
            } else {
                Spec::stored(n, d)
            }
        })
        .collect();
    build_zip(&s)
}

#[test]
fn a_deflate_bomb_is_refused_even_with_allow_repacked() {
    let f = Fixture::new();
    let plain = zip_contents(&bundle(&f));
    let mut e = plain.clone();
    add(&mut e, b"data/zeros.bin", &vec![0u8; 20 << 20]);
    let bomb = deflating(&resign_entries(&e, &f.path("alice.key")), b"zeros.bin");
    let (code, errors, _) = check(&f, "t.zip", &bomb, &["--allow-repacked"]);
    assert_eq!((code, errors), (1, vec!["zip.ratio-too-high".to_owned()]));
    let (code, errors, _) = check(&f, "t.zip", &bomb, &[]);
    assert_eq!((code, errors), (1, vec!["zip.compressed-entry".to_owned()]));
    assert_eq!(docseal(&["list", &f.p("t.zip")]).code, 1);
    assert_extracts_nothing(&f, "t.zip");
    // An honest re-zip with a modest ratio is accepted when asked, and said so.
    let (code, errors, report) = check(
        &f,
        "ok.zip",
        &deflating(&plain, b"notes.md"),
        &["--allow-repacked"],
    );
    assert_eq!((code, errors.len()), (0, 0), "{report:#}");
    assert_eq!(report["container"], "repacked-zip");
}
