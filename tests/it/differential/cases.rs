//! The cases: hostile bundles built in code (each a class of parser
//! differential from issue 10 §1 and §7, with the code that stops it) and
//! honest re-zips made by the real tools (`zip -r`, `7z a`, Python's
//! zipfile, `bsdtar -a`), which `--allow-repacked` must accept.

use super::zipbuild::{field, unicode_path, E, Z};
use super::{Case, Expect};
use crate::common::*;
use crate::hostile::kit::{self, add, entries, full, resign_entries, Entries};
use Expect::{Refused, Valid};

fn case(what: &str, bytes: Vec<u8>, canonical: Expect, lenient: Expect) -> Case {
    Case {
        what: what.to_owned(),
        bytes,
        canonical,
        lenient,
    }
}

/// Both modes refuse with `code`.
fn both(what: &str, bytes: Vec<u8>, code: &'static str) -> Case {
    case(what, bytes, Refused(code), Refused(code))
}

/// The bundle's entries changed by `edit`, built.
fn edited(e: &Entries, edit: impl FnOnce(&mut Z)) -> Vec<u8> {
    let mut z = Z::of(e);
    edit(&mut z);
    z.build()
}

/// A local entry of its own (header and data), listed nowhere.
fn hidden_entry(e: &Entries) -> Vec<u8> {
    let evil = Z {
        entries: vec![E::file(&full(e, "data/evil.txt"), b"EVIL\n")],
        ..Z::default()
    }
    .build();
    let cd = evil
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("cd");
    evil[..cd].to_vec()
}

pub fn hostile(f: &Fixture) -> Vec<Case> {
    let e = entries(f);
    let key = f.path("alice.key");
    let notes = "data/notes.md";
    let mut out = vec![
        case("the bundle itself", kit::bundle(f), Valid, Valid),
        both(
            "an empty archive's end record in the comment",
            edited(&e, |z| z.comment = [&b"PK\x05\x06"[..], &[0; 18]].concat()),
            "zip.multiple-eocd",
        ),
        both(
            "an implausible end record in the comment",
            edited(&e, |z| {
                z.comment = [&b"PK\x05\x06"[..], &[0xEE; 18]].concat()
            }),
            "zip.structure-in-comment",
        ),
        both(
            "central directory in the comment",
            edited(&e, |z| z.comment = b"PK\x01\x02 and more".to_vec()),
            "zip.structure-in-comment",
        ),
        both(
            "another bundle in the comment",
            edited(&e, |z| z.comment = hidden_entry(&e)),
            "zip.structure-in-comment",
        ),
        both(
            "another bundle's entry in an entry's comment",
            edited(&e, |z| z.entries[0].comment = hidden_entry(&e)),
            "zip.structure-in-comment",
        ),
        both(
            "an end record in the last entry's comment",
            edited(&e, |z| {
                let last = z.entries.len() - 1;
                z.entries[last].comment = [&b"PK\x05\x06"[..], &[0; 18]].concat();
            }),
            "zip.structure-in-comment",
        ),
        both(
            "zip64 end record with extensible data",
            edited(&e, |z| z.zip64_ext = Some(b"PK\x05\x06hidden".to_vec())),
            "zip.zip64-extensible-data",
        ),
        both(
            "unlisted local entry between entries",
            edited(&e, |z| z.entries[1].before = hidden_entry(&e)),
            "zip.gap-between-entries",
        ),
        both(
            "unlisted local entry before the directory",
            edited(&e, |z| z.before_cd = hidden_entry(&e)),
            "zip.gap-between-entries",
        ),
        case(
            "stored entry with a data descriptor",
            edited(&e, |z| {
                let n = z.entry(notes);
                n.flags |= 0x0008;
                n.descriptor = true;
            }),
            Refused("zip.data-descriptor"),
            Refused("zip.stored-with-descriptor"),
        ),
        case(
            "deflate stream shorter than its entry",
            edited(&e, |z| {
                let n = z.entry(notes);
                n.deflate = true;
                n.packed_tail = hidden_entry(&e);
            }),
            Refused("zip.compressed-entry"),
            Refused("zip.compressed-size-mismatch"),
        ),
        both(
            "unicode path naming another file",
            edited(&e, |z| {
                let n = z.entry(notes);
                n.central_extra = unicode_path(&n.name, &full(&e, "data/statement.txt"));
                n.local_extra = n.central_extra.clone();
            }),
            "zip.unicode-extra-field",
        ),
        both(
            "unicode path in the local header only",
            edited(&e, |z| {
                let n = z.entry(notes);
                n.local_extra = unicode_path(&n.name, &full(&e, "data/other.md"));
            }),
            "zip.unicode-extra-field",
        ),
        both(
            "libarchive attributes in the local header",
            edited(&e, |z| z.entry(notes).local_extra = field(0x6c78, &[0; 9])),
            "zip.unexpected-extra-field",
        ),
        both(
            "an entry needing zip version 6.3 (unzip skips it)",
            edited(&e, |z| z.entry(notes).version_needed = 63),
            "zip.unsupported-feature",
        ),
        both(
            "the patched-data flag",
            edited(&e, |z| z.entry(notes).flags |= 0x0020),
            "zip.unsupported-feature",
        ),
        both(
            "setuid bit",
            edited(&e, |z| z.entry(notes).external = 0o104_755 << 16),
            "zip.unexpected-attributes",
        ),
        both(
            "reparse point",
            edited(&e, |z| z.entry(notes).external = 0x0420),
            "zip.symlink",
        ),
    ];
    // Links and special files behind every host byte.
    for host in [0u16, 3, 10, 11, 19] {
        for (what, mode, code) in [
            ("symlink", 0o120_777u32, "zip.symlink"),
            ("fifo", 0o010_644, "zip.not-a-regular-file"),
        ] {
            let bytes = edited(&e, |z| {
                let n = z.entry(notes);
                n.made_by = host << 8 | 0x1E;
                n.external = mode << 16 | 0x8020;
                n.data = b"statement.txt".to_vec();
            });
            out.push(both(&format!("{what} under host {host}"), bytes, code));
        }
    }
    // Names decoded otherwise without the UTF-8 flag (CP437).
    let mut accented = e.clone();
    add(&mut accented, "data/café.txt".as_bytes(), b"coffee\n");
    let accented = resign_entries(&accented, &key);
    out.push(case(
        "a non-ascii name",
        Z::of(&accented).build(),
        Valid,
        Valid,
    ));
    out.push(both(
        "a non-ascii name without the utf-8 flag",
        edited(&accented, |z| z.entry("café.txt").flags = 0),
        "zip.name-encoding",
    ));
    // Directory entries.
    let with_dir = |d: Vec<u8>| edited(&e, |z| z.entries.insert(0, E::dir(&d)));
    out.push(case(
        "a harmless directory entry",
        with_dir(full(&e, "data/")),
        Refused("zip.not-a-regular-file"),
        Valid,
    ));
    for (what, dir) in [
        ("a directory named as a file", "data/notes.md/"),
        ("a directory named as a file up to case", "data/NOTES.md/"),
        ("a directory inside a file", "data/notes.md/x/"),
        ("a directory with a reserved name", "data/aux/"),
    ] {
        out.push(case(
            what,
            with_dir(full(&e, dir)),
            Refused("zip.not-a-regular-file"),
            Refused("zip.bad-directory"),
        ));
    }
    out.push(case(
        "a directory outside the bag",
        with_dir(b"elsewhere/".to_vec()),
        Refused("zip.not-a-regular-file"),
        Refused("bag.no-single-root"),
    ));
    // Names that one file system folds together (issue 10 §7).
    for (a, b) in [
        ("data/Straße.txt", "data/STRASSE.txt"),
        ("data/µ.txt", "data/μ.txt"),
        ("data/\u{212A}.txt", "data/k.txt"),
        ("data/ſ.txt", "data/s.txt"),
    ] {
        let mut two = e.clone();
        add(&mut two, a.as_bytes(), b"one\n");
        add(&mut two, b.as_bytes(), b"two\n");
        let bytes = Z::of(&resign_entries(&two, &key)).build();
        out.push(both(&format!("{a} and {b}"), bytes, "bag.name-collision"));
    }
    out
}

/// The fixture's bundle, and one with a non-ASCII name, unzipped and
/// re-zipped by each real tool.
pub fn repacked(f: &Fixture) -> Vec<Case> {
    let mut out = repacked_by_tools(f, &kit::bundle(f), "");
    let mut accented = entries(f);
    add(&mut accented, "data/café.txt".as_bytes(), b"coffee\n");
    let accented = Z::of(&resign_entries(&accented, &f.path("alice.key"))).build();
    out.extend(repacked_by_tools(f, &accented, " (a non-ascii name)"));
    out
}

/// `bundle` unzipped and re-zipped by each tool (`tag` names the bundle).
fn repacked_by_tools(f: &Fixture, bundle: &[u8], tag: &str) -> Vec<Case> {
    let dir = f.path(&format!("repack{}", tag.len()));
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("b.zip"), bundle).expect("write");
    let u = dir.join("unpacked");
    let (b, ud) = (
        dir.join("b.zip").display().to_string(),
        u.display().to_string(),
    );
    let Some(r) = run_tool("unzip", &["-qq", &b, "-d", &ud], &dir) else {
        return Vec::new();
    };
    assert_eq!(r.code, 0, "unzip: {}", r.stderr);
    let root = "test-bundle";
    let py = "import os, sys, zipfile\n\
              with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n\
              \x20   for d, _, fs in sorted(os.walk(sys.argv[2])):\n\
              \x20       for n in sorted(fs): z.write(os.path.join(d, n))\n";
    let tools: [(&str, &str, Vec<&str>); 5] = [
        ("zip -r", "zip", vec!["-qr", "../zip.zip", root]),
        ("zip -r -0", "zip", vec!["-qr0", "../zip0.zip", root]),
        ("7z a", "7z", vec!["a", "-bd", "../7z.zip", root]),
        (
            "python zipfile",
            "python3",
            vec!["-c", py, "../py.zip", root],
        ),
        (
            "bsdtar -a",
            "bsdtar",
            vec!["-a", "-cf", "../bsdtar.zip", root],
        ),
    ];
    let mut out = Vec::new();
    for (what, tool, args) in tools {
        let Some(r) = run_tool(tool, &args, &u) else {
            continue;
        };
        assert_eq!(r.code, 0, "{what}: {}{}", r.stdout, r.stderr);
        let zip = args.iter().find(|a| a.ends_with(".zip")).expect("output");
        let bytes = std::fs::read(u.join(zip)).expect("read re-zip");
        // Info-ZIP zip 3.0 writes non-ASCII names without the UTF-8 flag,
        // which Python and 7-Zip then read as CP437.
        let lenient = if what.starts_with("zip -r") && !tag.is_empty() {
            Refused("zip.name-encoding")
        } else {
            Valid
        };
        out.push(case(
            &format!("re-zipped by {what}{tag}"),
            bytes,
            Refused(canonical_refusal(what)),
            lenient,
        ));
    }
    out
}

/// Why canonical mode refuses each tool's re-zip (its first difference):
/// Python writes no directory entries, the others start with one.
fn canonical_refusal(tool: &str) -> &'static str {
    match tool {
        "python zipfile" => "zip.compressed-entry",
        _ => "zip.not-a-regular-file",
    }
}
