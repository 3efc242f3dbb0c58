//! Round trips and interoperability: the writer's output read back in both
//! modes, by the `zip` crate and by Info-ZIP `unzip -t`; archives made by
//! Info-ZIP `zip -r`, Python's zipfile (with data descriptors) and the `zip`
//! crate (deflate) read leniently
//! and refused canonically with a specific code.
//!
//! A missing external tool fails the test when `CI` is set, and is skipped
//! with a message otherwise.

use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;

use super::testkit::*;
use super::{Entry, Error, Limits, Method, Mode, ZipWriter};

/// The tool at `path`, or `None` (skip) when it is missing outside CI.
pub(crate) fn tool(path: &str) -> Option<&Path> {
    let p = Path::new(path);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{path} is missing and CI is set"
    );
    eprintln!("skipped: {path} is missing");
    None
}

/// Entries for round trips: empty, small, one larger than the copy buffer.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let big: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    vec![
        ("bag/data/empty".to_owned(), Vec::new()),
        ("bag/data/ünïcödé name.txt".to_owned(), b"hello\n".to_vec()),
        ("bag/data/big.bin".to_owned(), big),
        (
            "bag/bagit.txt".to_owned(),
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec(),
        ),
    ]
}

fn written(inputs: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in inputs {
        w.add_stream(name, &mut &data[..], &mut |_| {}).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn writer_output_reads_back_in_both_modes() {
    let inputs = inputs();
    let bytes = written(&inputs);
    for mode in [Mode::Canonical, Mode::Lenient] {
        let z = open(&bytes, mode, &Limits::default()).unwrap();
        assert_eq!(read_all(&z).unwrap(), inputs, "{mode:?}");
        let mut at = 0;
        for (i, (e, (name, data))) in z.entries().iter().zip(&inputs).enumerate() {
            let want = Entry {
                name: name.clone(),
                size: data.len() as u64,
                crc32: crc32fast::hash(data),
                compressed_size: data.len() as u64,
                method: Method::Stored,
                header_offset: at,
                data_offset: at + 30 + name.len() as u64,
                central_index: i,
            };
            assert_eq!(*e, want);
            at = want.data_offset + want.size;
        }
    }
}

#[test]
fn an_empty_archive_is_just_an_end_record_and_reads_back() {
    let bytes = ZipWriter::new(Cursor::new(Vec::new()))
        .finish()
        .unwrap()
        .into_inner();
    assert_eq!(bytes, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    assert!(open(&bytes, Mode::Canonical, &Limits::default())
        .unwrap()
        .entries()
        .is_empty());
}

#[test]
fn entry_readers_run_in_parallel_threads() {
    let inputs = inputs();
    let z = open(&written(&inputs), Mode::Canonical, &Limits::default()).unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..inputs.len())
            .map(|i| {
                let z = &z;
                s.spawn(move || {
                    let mut out = Vec::new();
                    z.entry_reader(i).unwrap().read_to_end(&mut out).unwrap();
                    out
                })
            })
            .collect();
        for (h, (_, data)) in handles.into_iter().zip(&inputs) {
            assert_eq!(&h.join().unwrap(), data);
        }
    });
    assert_eq!(
        z.entry_reader(99).err().map(|e| e.code()),
        Some("zip.no-such-entry")
    );
}

#[test]
fn the_zip_crate_reads_writer_output() {
    let inputs = inputs();
    let mut archive = zip::ZipArchive::new(Cursor::new(written(&inputs))).unwrap();
    assert_eq!(archive.len(), inputs.len());
    for (i, (name, data)) in inputs.iter().enumerate() {
        let mut f = archive.by_index(i).unwrap();
        assert_eq!(f.name(), name);
        assert_eq!(f.compression(), zip::CompressionMethod::Stored);
        assert_eq!(f.unix_mode(), Some(0o100_644));
        let mut out = Vec::new();
        f.read_to_end(&mut out).unwrap();
        assert_eq!(&out, data);
    }
}

#[test]
fn info_zip_unzip_accepts_writer_output() {
    let Some(unzip) = tool("/usr/bin/unzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.zip");
    fs::write(&path, written(&inputs())).unwrap();
    let out = Command::new(unzip).arg("-t").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("No errors detected"), "{text}");
}

/// A small bag folder whose files all compress well.
fn bag_folder(root: &Path) {
    let line = "The quick brown fox jumps over the lazy dog. ";
    fs::create_dir_all(root.join("bag/data/sources")).unwrap();
    fs::write(
        root.join("bag/bagit.txt"),
        "BagIt-Version: 1.0\n".repeat(20),
    )
    .unwrap();
    fs::write(root.join("bag/data/notes.md"), line.repeat(100)).unwrap();
    fs::write(root.join("bag/data/sources/s.txt"), line.repeat(50)).unwrap();
}

/// The files of `bag_folder`, sorted by name.
fn bag_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = [
        "bag/bagit.txt",
        "bag/data/notes.md",
        "bag/data/sources/s.txt",
    ]
    .iter()
    .map(|n| ((*n).to_owned(), fs::read(root.join(n)).unwrap()))
    .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    v.sort();
    v
}

#[test]
fn info_zip_output_reads_leniently_and_is_refused_canonically() {
    let Some(zip) = tool("/usr/bin/zip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    bag_folder(dir.path());
    let cases: &[(&[&str], &str)] = &[
        (&["-r", "-q"], "zip.not-a-regular-file"),
        (&["-r", "-q", "-D"], "zip.compressed-entry"),
        (&["-r", "-q", "-D", "-X", "-0"], "zip.non-canonical-header"),
    ];
    for (i, (args, code)) in cases.iter().enumerate() {
        let name = format!("out{i}.zip");
        let st = Command::new(zip)
            .current_dir(dir.path())
            .args(*args)
            .arg(&name)
            .arg("bag")
            .status()
            .unwrap();
        assert!(st.success());
        let bytes = fs::read(dir.path().join(&name)).unwrap();
        let got = outcome(&bytes, Mode::Lenient, &Limits::default())
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(sorted(got), bag_files(dir.path()), "{args:?}");
        let err = outcome(&bytes, Mode::Canonical, &Limits::default()).unwrap_err();
        assert_eq!(err.code(), *code, "{args:?}: {err}");
    }
}

#[test]
fn python_zipfile_output_with_data_descriptors_reads_leniently() {
    let Some(python) = tool("/usr/bin/python3") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    bag_folder(dir.path());
    // Writing to a pipe makes zipfile use data descriptors.
    let script = "import sys, zipfile\n\
        z = zipfile.ZipFile(sys.stdout.buffer, 'w', zipfile.ZIP_DEFLATED)\n\
        for n in sys.argv[1:]:\n    z.write(n)\n\
        z.close()\n";
    let names = [
        "bag/bagit.txt",
        "bag/data/notes.md",
        "bag/data/sources/s.txt",
    ];
    let out = Command::new(python)
        .current_dir(dir.path())
        .arg("-c")
        .arg(script)
        .args(names)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = outcome(&out.stdout, Mode::Lenient, &Limits::default()).unwrap();
    assert_eq!(sorted(got), bag_files(dir.path()));
    assert_eq!(
        outcome(&out.stdout, Mode::Canonical, &Limits::default())
            .unwrap_err()
            .code(),
        "zip.data-descriptor"
    );
}

#[test]
fn zip_crate_deflate_output_reads_leniently() {
    let inputs = inputs();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in &inputs {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let z = open(&bytes, Mode::Lenient, &Limits::default()).unwrap();
    assert!(z.entries().iter().any(|e| e.method == Method::Deflated));
    assert_eq!(read_all(&z).unwrap(), inputs);
    let err: Error = open(&bytes, Mode::Canonical, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "zip.compressed-entry", "{err}");
}
