//! Zip64 round trips and interoperability: 70,000 entries (zip64 end
//! records, read back in both modes, by the `zip` crate and by Info-ZIP
//! `unzip -t`), the entry-count boundary, an archive over 4 GiB written to
//! a sparse in-memory sink (header bytes checked, read back from a sparse
//! file, every header byte flipped), streams whose size is unannounced or
//! wrong, and zip64 archives made by Python's zipfile, Info-ZIP and the
//! `zip` crate (read leniently, refused canonically with a specific code).
//!
//! A missing external tool fails the test when `CI` is set, and is skipped
//! with a message otherwise.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};
use std::process::Command;
use std::sync::OnceLock;

use super::testkit::*;
use super::tests_interop::tool;
use super::{Entry, Error, Limits, Method, Mode, ZipReader, ZipWriter, MAX_ENTRY_SIZE};

/// The little-endian integer of `n` bytes at `at`.
pub(crate) fn le(b: &[u8], at: usize, n: usize) -> u64 {
    b[at..at + n]
        .iter()
        .rev()
        .fold(0, |v, byte| v << 8 | u64::from(*byte))
}

/// The name and contents of tiny entry `i`.
fn tiny(i: usize) -> (String, Vec<u8>) {
    (format!("bag/data/f{i:06}"), format!("{i}\n").into_bytes())
}

/// A canonical archive of `n` tiny entries.
pub(crate) fn many(n: usize) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..n {
        let (name, data) = tiny(i);
        w.add_bytes(&name, &data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The 70,000-entry archive, built once for all the tests.
pub(crate) fn seventy_k() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| many(70_000))
}

/// Where the end records of a zip64 archive of `len` bytes start.
pub(crate) const fn record_at(len: usize) -> usize {
    len - 22 - 20 - 56
}

/// Runs `unzip -t` on `path` and asserts that it finds no error.
fn unzip_accepts(path: &std::path::Path) {
    let Some(unzip) = tool("/usr/bin/unzip") else {
        return;
    };
    let out = Command::new(unzip).arg("-tq").arg(path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}{err}");
    assert!(text.contains("No errors detected"), "{text}");
}

#[test]
fn seventy_thousand_entries_get_zip64_end_records_and_read_back() {
    let bytes = seventy_k();
    let (n, r) = (bytes.len(), record_at(bytes.len()));
    let (cd_size, cd_offset) = (le(bytes, n - 10, 4), le(bytes, n - 6, 4));
    // End record: the count overflows (marker), size and offset do not.
    assert_eq!(
        &bytes[n - 22..n - 10],
        b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff"
    );
    assert_eq!(cd_offset + cd_size, r as u64);
    // Locator: disk 0, the record's offset, 1 disk.
    assert_eq!(&bytes[n - 42..n - 34], b"PK\x06\x07\0\0\0\0");
    assert_eq!((le(bytes, n - 34, 8), le(bytes, n - 26, 4)), (r as u64, 1));
    // Record: size 44, made by 0x031E, needs 45, disks 0, the values.
    assert_eq!(
        &bytes[r..r + 24],
        b"PK\x06\x06\x2c\0\0\0\0\0\0\0\x1e\x03\x2d\0\0\0\0\0\0\0\0\0"
    );
    let fields: Vec<u64> = (0..4).map(|k| le(bytes, r + 24 + 8 * k, 8)).collect();
    assert_eq!(fields, [70_000, 70_000, cd_size, cd_offset]);
    for mode in [Mode::Canonical, Mode::Lenient] {
        let z = open(bytes, mode, &Limits::default()).unwrap();
        assert_eq!(z.entries().len(), 70_000, "{mode:?}");
        let got = read_all(&z).unwrap();
        assert!(
            got.into_iter().enumerate().all(|(i, e)| e == tiny(i)),
            "{mode:?}"
        );
    }
    let limits = Limits {
        max_entries: 69_999,
        ..Limits::default()
    };
    let err = open(bytes, Mode::Canonical, &limits).unwrap_err();
    assert_eq!(err.code(), "zip.too-many-entries", "{err}");
}

#[test]
fn the_zip_crate_and_unzip_read_seventy_thousand_entries() {
    let bytes = seventy_k();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(archive.len(), 70_000);
    for i in [0, 65_535, 69_999] {
        let mut f = archive.by_index(i).unwrap();
        let (name, data) = tiny(i);
        assert_eq!(f.name(), name);
        let mut out = Vec::new();
        f.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("70k.zip");
    fs::write(&path, bytes).unwrap();
    unzip_accepts(&path);
}

#[test]
fn zip64_end_records_start_at_65535_entries() {
    for (n, zip64) in [(65_534, false), (65_535, true)] {
        let bytes = many(n);
        let len = bytes.len();
        assert_eq!(&bytes[len - 42..len - 38] == b"PK\x06\x07", zip64, "{n}");
        let want_count = if zip64 { 0xFFFF } else { n as u64 };
        assert_eq!(le(&bytes, len - 12, 2), want_count, "{n}");
        let z = open(&bytes, Mode::Canonical, &Limits::default()).unwrap();
        assert_eq!(z.entries().len(), n);
    }
}

static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// A `Write + Seek` output that keeps only its non-zero writes (headers,
/// small contents), by offset: an archive of gigabytes of zeros costs
/// neither disk nor memory. A write is kept or dropped whole, and replaces
/// one made at the same offset (as the writer's header patch does).
#[derive(Debug, Default)]
pub(crate) struct SparseSink {
    pos: u64,
    len: u64,
    segments: BTreeMap<u64, Vec<u8>>,
}

impl Write for SparseSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let buf = &buf[..buf.len().min(ZEROS.len())];
        if buf == &ZEROS[..buf.len()] {
            self.segments.remove(&self.pos);
        } else {
            self.segments.insert(self.pos, buf.to_vec());
        }
        self.pos += buf.len() as u64;
        self.len = self.len.max(self.pos);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for SparseSink {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let (base, delta) = match to {
            SeekFrom::Start(p) => (p, 0),
            SeekFrom::Current(d) => (self.pos, d),
            SeekFrom::End(d) => (self.len, d),
        };
        self.pos = base
            .checked_add_signed(delta)
            .ok_or_else(|| io::Error::other("seek before the start"))?;
        Ok(self.pos)
    }
}

impl SparseSink {
    /// `n` bytes at `at`, from the one kept write that holds them.
    pub(crate) fn bytes(&self, at: u64, n: usize) -> &[u8] {
        let (start, seg) = self.segments.range(..=at).next_back().unwrap();
        let from = (at - start) as usize;
        &seg[from..from + n]
    }

    /// A sparse temporary file with the sink's contents.
    pub(crate) fn to_file(&self) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.set_len(self.len).unwrap();
        for (at, seg) in &self.segments {
            f.seek(SeekFrom::Start(*at)).unwrap();
            f.write_all(seg).unwrap();
        }
        f
    }
}

/// Size of the big entry: the first size that needs zip64.
const BIG: u64 = 0xFFFF_FFFF;
/// Where the big entry's local header and data start.
const BIG_AT: u64 = 38;
const BIG_DATA: u64 = BIG_AT + 30 + 5 + 20;
/// Where the entry after it starts: past 4 GiB.
const Z_AT: u64 = BIG_DATA + BIG;

/// An archive of "d/a" (5 bytes), "d/big" (`BIG` bytes: zeros then "!", so
/// that its CRC-32 is not 0, streamed with its size announced) and "d/z"
/// (4 bytes, at an offset past 4 GiB).
fn over_4_gib() -> (SparseSink, u32) {
    let big_data = || io::repeat(0).take(BIG - 1).chain(&b"!"[..]);
    let mut w = ZipWriter::new(SparseSink::default());
    w.add_bytes("d/a", b"alpha").unwrap();
    let big = w
        .add_stream_sized("d/big", BIG, &mut big_data(), &mut |_| {})
        .unwrap();
    assert_eq!(big.size, BIG);
    assert_ne!(big.crc32, 0);
    w.add_bytes("d/z", b"zulu").unwrap();
    (w.finish().unwrap(), big.crc32)
}

#[test]
fn known_data_over_4_gib_gives_the_same_bytes_as_a_stream() {
    let (streamed, crc) = over_4_gib();
    let mut w = ZipWriter::new(SparseSink::default());
    w.add_bytes("d/a", b"alpha").unwrap();
    let info = super::EntryInfo {
        size: BIG,
        crc32: crc,
    };
    let mut data = io::repeat(0).take(BIG - 1).chain(&b"!"[..]);
    w.add_known("d/big", info, &mut data).unwrap();
    w.add_bytes("d/z", b"zulu").unwrap();
    let known = w.finish().unwrap();
    assert_eq!(
        (known.len, &known.segments),
        (streamed.len, &streamed.segments)
    );
}

/// Fixed bytes of a local header after its signature: version needed,
/// flags, method, time, date.
fn local_start(version: u8) -> Vec<u8> {
    [&b"PK\x03\x04"[..], &[version, 0, 0, 8, 0, 0, 0, 0, 0x21, 0]].concat()
}

#[test]
fn an_archive_over_4_gib_has_zip64_fields_exactly_where_needed() {
    let (sink, crc) = over_4_gib();
    let (a, big, z) = (0u64, BIG_AT, Z_AT);
    let cd = z + 37;
    let ff = [0xFFu8; 8];
    // Local headers: only the big entry's has zip64 sizes (both, in order).
    let big_local = [
        &local_start(45)[..],
        &crc.to_le_bytes(),
        &ff,
        b"\x05\0\x14\0d/big\x01\0\x10\0",
        &BIG.to_le_bytes(),
        &BIG.to_le_bytes(),
    ]
    .concat();
    assert_eq!(sink.bytes(big, 55), big_local);
    assert_eq!(sink.bytes(a, 4), b"PK\x03\x04");
    assert_eq!(sink.bytes(z, 30)[..14], local_start(20)[..]);
    assert_eq!(
        le(sink.bytes(z, 30), 26, 4),
        3,
        "z: name length 3, no extra"
    );
    // Central records: version needed, size and offset fields, extra.
    let c_big = cd + 46 + 3;
    let c_z = c_big + 46 + 5 + 20;
    let rec = |at: u64, extra: usize| sink.bytes(at, 46 + extra).to_vec();
    let r = rec(cd, 3);
    assert_eq!((le(&r, 6, 2), le(&r, 30, 2), le(&r, 42, 4)), (20, 0, a));
    let r = rec(c_big, 5 + 20);
    assert_eq!(
        (le(&r, 6, 2), le(&r, 20, 4), le(&r, 24, 4)),
        (45, 0xFFFF_FFFF, 0xFFFF_FFFF)
    );
    assert_eq!((le(&r, 30, 2), le(&r, 42, 4)), (20, big));
    assert_eq!(
        r[51..],
        [&b"\x01\0\x10\0"[..], &BIG.to_le_bytes(), &BIG.to_le_bytes()].concat()
    );
    let r = rec(c_z, 3 + 12);
    assert_eq!((le(&r, 6, 2), le(&r, 20, 4), le(&r, 24, 4)), (45, 4, 4));
    assert_eq!((le(&r, 30, 2), le(&r, 42, 4)), (12, 0xFFFF_FFFF));
    assert_eq!(r[49..], [&b"\x01\0\x08\0"[..], &z.to_le_bytes()].concat());
    // End records: the offset overflows, the count and size do not.
    let end = c_z + 46 + 3 + 12;
    let cd_size = end - cd;
    let tail = sink.bytes(end, 98);
    assert_eq!(tail[..4], *b"PK\x06\x06");
    let fields: Vec<u64> = (0..4).map(|k| le(tail, 24 + 8 * k, 8)).collect();
    assert_eq!(fields, [3, 3, cd_size, cd]);
    assert_eq!((le(tail, 64, 8), le(tail, 72, 4)), (end, 1));
    assert_eq!(tail[76..86], *b"PK\x05\x06\0\0\0\0\x03\0");
    assert_eq!(
        (le(tail, 86, 2), le(tail, 88, 4), le(tail, 92, 4)),
        (3, cd_size, 0xFFFF_FFFF)
    );
    assert_eq!(sink.len, end + 98);
}

#[test]
fn an_archive_over_4_gib_reads_back_from_a_sparse_file() {
    let (sink, crc) = over_4_gib();
    let file = sink.to_file();
    for mode in [Mode::Canonical, Mode::Lenient] {
        let z = ZipReader::open(file.try_clone().unwrap(), mode, &Limits::default()).unwrap();
        let e = &z.entries()[1];
        let want = Entry {
            name: "d/big".into(),
            size: BIG,
            crc32: crc,
            compressed_size: BIG,
            method: Method::Stored,
            header_offset: BIG_AT,
            data_offset: BIG_DATA,
            central_index: 1,
        };
        assert_eq!(*e, want, "{mode:?}");
        assert_eq!(z.entries()[2].header_offset, Z_AT);
        let mut out = Vec::new();
        z.entry_reader(2).unwrap().read_to_end(&mut out).unwrap();
        assert_eq!(out, b"zulu");
        z.entry_reader(1)
            .unwrap()
            .take(10)
            .read_to_end(&mut out)
            .unwrap();
    }
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let sizes: Vec<(String, u64)> = (0..3)
        .map(|i| {
            archive
                .by_index(i)
                .map(|f| (f.name().to_owned(), f.size()))
                .unwrap()
        })
        .collect();
    assert_eq!(
        sizes,
        [("d/a".into(), 5), ("d/big".into(), BIG), ("d/z".into(), 4)]
    );
}

#[test]
fn every_header_byte_change_of_a_zip64_archive_is_caught() {
    use std::os::unix::fs::FileExt;
    let (sink, _) = over_4_gib();
    let file = sink.to_file();
    let attempt = || -> Result<(), Error> {
        let z = ZipReader::open(file.try_clone()?, Mode::Canonical, &Limits::default())?;
        for i in [0, 2] {
            io::copy(&mut z.entry_reader(i)?, &mut io::sink())?;
        }
        Ok(())
    };
    attempt().unwrap();
    // Not the big entry's data: only reading all of it would notice.
    let headers = sink
        .segments
        .iter()
        .filter(|(at, _)| !(BIG_DATA..Z_AT).contains(*at));
    for (at, seg) in headers {
        for (k, byte) in seg.iter().enumerate() {
            let pos = at + k as u64;
            for mask in [0x01u8, 0x80, 0xFF] {
                file.write_all_at(&[byte ^ mask], pos).unwrap();
                let r = attempt();
                file.write_all_at(&[*byte], pos).unwrap();
                assert!(r.is_err(), "byte {pos} ^ {mask:#x} went unnoticed");
            }
        }
    }
}

#[test]
fn a_stream_past_4_gib_needs_its_size_announced() {
    let mut w = ZipWriter::new(SparseSink::default());
    let mut data = io::repeat(0).take(MAX_ENTRY_SIZE + 1);
    let err = w.add_stream("d/big", &mut data, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::Zip64Unsupported { .. }), "{err}");
    assert_eq!(err.entry(), Some("d/big"));
    assert_eq!(w.finish().unwrap_err().code(), "zip.writer-poisoned");
}

#[test]
fn a_stream_of_another_size_than_announced_is_refused() {
    let cases: &[(u64, &[u8], u64)] = &[
        (5, b"abc", 3),
        (3, b"abcde", 5),
        (0, b"a", 1),
        (1 << 33, b"abc", 3),
    ];
    for (expected, data, actual) in cases {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        match w.add_stream_sized("d/a", *expected, &mut &data[..], &mut |_| {}) {
            Err(Error::SizeChanged {
                entry,
                expected: e,
                actual: a,
            }) => assert_eq!((entry.as_str(), e, a), ("d/a", *expected, *actual)),
            other => panic!("{expected} {data:?}: {other:?}"),
        }
        let err = w.add_bytes("d/b", b"").unwrap_err();
        assert_eq!(err.code(), "zip.writer-poisoned");
    }
    let code = Error::SizeChanged {
        entry: "x".into(),
        expected: 1,
        actual: 2,
    }
    .code();
    assert_eq!(code, "zip.size-changed");
}

#[test]
fn an_announced_size_gives_the_same_bytes_as_an_unannounced_one() {
    let data: Vec<u8> = (0..150_000u32).map(|i| (i % 251) as u8).collect();
    let write = |sized: bool| {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, d) in [("d/a", &data[..]), ("d/e", &[][..])] {
            let mut seen = Vec::new();
            let mut on_chunk = |c: &[u8]| seen.extend_from_slice(c);
            if sized {
                w.add_stream_sized(name, d.len() as u64, &mut &d[..], &mut on_chunk)
            } else {
                w.add_stream(name, &mut &d[..], &mut on_chunk)
            }
            .unwrap();
            assert_eq!(seen, d);
        }
        w.finish().unwrap().into_inner()
    };
    assert_eq!(write(true), write(false));
    assert_eq!(write(true), canonical(&[("d/a", &data), ("d/e", b"")]));
}

#[test]
#[ignore = "writes 5 GiB; run by bench"]
fn a_5_gib_entry_from_a_sparse_file_round_trips_on_disk() {
    let input = tempfile::tempfile().unwrap();
    input.set_len(5 << 30).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.zip");
    let mut w = ZipWriter::new(File::create(&path).unwrap());
    w.add_bytes("d/a", b"alpha").unwrap();
    let info = w
        .add_stream_sized("d/big", 5 << 30, &mut &input, &mut |_| {})
        .unwrap();
    w.add_bytes("d/z", b"zulu").unwrap();
    w.finish().unwrap();
    let z = ZipReader::open(
        File::open(&path).unwrap(),
        Mode::Canonical,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(z.entries()[1].size, 5 << 30);
    assert_eq!(z.entries()[1].crc32, info.crc32);
    let n = io::copy(&mut z.entry_reader(1).unwrap(), &mut io::sink()).unwrap();
    assert_eq!(n, 5 << 30);
    unzip_accepts(&path);
}

/// Runs `python3 -c script args…` in `dir`.
fn python(dir: &std::path::Path, script: &str, args: &[&str]) -> bool {
    let Some(python) = tool("/usr/bin/python3") else {
        return false;
    };
    let out = Command::new(python)
        .current_dir(dir)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

#[test]
fn python_zipfile_zip64_reads_leniently_and_is_refused_canonically() {
    let dir = tempfile::tempdir().unwrap();
    let script = "import sys, zipfile\n\
        with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED, allowZip64=True) as z:\n\
        \x20   for i in range(70000):\n\
        \x20       z.writestr(f'bag/data/f{i:06}', f'{i}\\n')\n\
        \x20   with z.open('bag/data/forced', 'w', force_zip64=True) as f:\n\
        \x20       f.write(b'forced\\n')\n\
        with zipfile.ZipFile(sys.argv[2], 'w') as z:\n\
        \x20   for i in range(65535):\n\
        \x20       z.writestr(f'bag/data/f{i:06}', f'{i}\\n')\n";
    if !python(dir.path(), script, &["zip64.zip", "65535.zip"]) {
        return;
    }
    let bytes = fs::read(dir.path().join("zip64.zip")).unwrap();
    let got = outcome(&bytes, Mode::Lenient, &Limits::default()).unwrap();
    assert_eq!(got.len(), 70_001);
    assert!(got
        .iter()
        .take(70_000)
        .enumerate()
        .all(|(i, e)| *e == tiny(i)));
    assert_eq!(
        got[70_000],
        ("bag/data/forced".into(), b"forced\n".to_vec())
    );
    match open(&bytes, Mode::Canonical, &Limits::default()) {
        Err(Error::NonCanonicalHeader { record, field, .. }) => {
            assert_eq!((record, field), ("zip64 end record", "version made by"))
        }
        other => panic!("{other:?}"),
    }
    // 65,535 entries: Python writes the count 0xFFFF without zip64 records.
    let bytes = fs::read(dir.path().join("65535.zip")).unwrap();
    let z = open(&bytes, Mode::Lenient, &Limits::default()).unwrap();
    assert_eq!(z.entries().len(), 65_535);
    let err = open(&bytes, Mode::Canonical, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "zip.zip64-unsupported", "{err}");
}

/// What Info-ZIP `zip args…` writes to a pipe for "streamed\n" on stdin.
fn zip_stdin(zip: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let mut child = Command::new(zip)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"streamed\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn info_zip_and_zip_crate_zip64_read_leniently_and_are_refused_canonically() {
    let Some(zip) = tool("/usr/bin/zip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("bag/data")).unwrap();
    fs::write(dir.path().join("bag/data/a.txt"), "hello\n").unwrap();
    let st = Command::new(zip)
        .current_dir(dir.path())
        .args(["-q", "-r", "-D", "-X", "-0", "-fz", "fz.zip", "bag"])
        .status()
        .unwrap();
    assert!(st.success());
    let forced = fs::read(dir.path().join("fz.zip")).unwrap();
    // Zip64 from a pipe: data descriptors with 8-byte sizes (§4.3.9.2).
    // The entry (stdin) is a fifo: make it a regular file.
    let mut piped = zip_stdin(zip, &["-q"]);
    let central = piped.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    put32(&mut piped, central + 38, 0o100_644 << 16);
    // With -fz, a pipe gets an end record whose offset is the zip64 marker
    // but no zip64 end record: `unzip -t` refuses it too.
    let broken = zip_stdin(zip, &["-q", "-fz"]);
    for mode in [Mode::Lenient, Mode::Canonical] {
        let err = outcome(&broken, mode, &Limits::default()).unwrap_err();
        assert_eq!(err.code(), "zip.zip64-unsupported", "{err}");
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    w.start_file("bag/data/a.txt", opts).unwrap();
    w.write_all(b"hello\n").unwrap();
    let crate_made = w.finish().unwrap().into_inner();
    let cases = [
        ("zip -fz", forced, ("bag/data/a.txt", &b"hello\n"[..])),
        ("zip from a pipe", piped, ("-", b"streamed\n")),
        ("zip crate", crate_made, ("bag/data/a.txt", b"hello\n")),
    ];
    for (what, bytes, (name, data)) in cases {
        let got = outcome(&bytes, Mode::Lenient, &Limits::default())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(got, [(name.to_owned(), data.to_vec())], "{what}");
        let err = outcome(&bytes, Mode::Canonical, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NonCanonicalHeader { .. } | Error::DataDescriptor { .. }
            ),
            "{what}: {err}"
        );
    }
}
