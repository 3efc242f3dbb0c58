//! Test support: a raw zip builder that writes whatever it is told (the
//! tests' way to build hostile archives byte by byte), and helpers to open
//! bytes and read every entry.

use std::io::{Read, Write};

use super::format::{CentralHeader, Eocd, LocalHeader};
use super::{Error, Limits, Mode, ZipReader, ZipWriter};
use Mode::{Canonical, Lenient};

/// One entry as the raw builder writes it.
#[derive(Clone)]
pub(crate) struct RawEntry {
    pub name: Vec<u8>,
    /// The bytes after the local header (deflated for method 8).
    pub data: Vec<u8>,
    pub size: u32,
    pub crc: u32,
    pub method: u16,
    pub flags: u16,
    pub made_by: u16,
    pub external: u32,
    pub local_extra: Vec<u8>,
    pub central_extra: Vec<u8>,
    /// Bytes written before this entry's local header.
    pub before: Vec<u8>,
    /// Bytes written after the data (a data descriptor, say).
    pub after: Vec<u8>,
    /// Write no local header; point the central record at entry `j`'s.
    pub reuse: Option<usize>,
    /// The central record's per-entry comment.
    pub comment: Vec<u8>,
}

impl RawEntry {
    /// A stored entry exactly as the canonical writer makes it.
    pub fn stored(name: &[u8], data: &[u8]) -> RawEntry {
        RawEntry {
            name: name.to_vec(),
            data: data.to_vec(),
            size: data.len() as u32,
            crc: crc32fast::hash(data),
            method: 0,
            flags: 0x0800,
            made_by: 0x031E,
            external: 0o100_644 << 16,
            local_extra: Vec::new(),
            central_extra: Vec::new(),
            before: Vec::new(),
            after: Vec::new(),
            reuse: None,
            comment: Vec::new(),
        }
    }

    /// A deflated entry of `data`.
    pub fn deflated(name: &[u8], data: &[u8]) -> RawEntry {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        let packed = enc.finish().unwrap();
        RawEntry {
            data: packed,
            method: 8,
            size: data.len() as u32,
            ..RawEntry::stored(name, data)
        }
    }

    fn local(&self) -> Vec<u8> {
        let mut h = LocalHeader::canonical(self.crc, self.size, self.name.len() as u16);
        h.flags = self.flags;
        h.method = self.method;
        h.compressed = self.data.len() as u32;
        h.extra_len = self.local_extra.len() as u16;
        let mut out = h.encode(&self.name);
        out.extend_from_slice(&self.local_extra);
        out
    }

    fn central(&self, offset: u32) -> Vec<u8> {
        let mut h = CentralHeader::canonical(self.crc, self.size, self.name.len() as u16, offset);
        h.flags = self.flags;
        h.method = self.method;
        h.made_by = self.made_by;
        h.external = self.external;
        h.compressed = self.data.len() as u32;
        h.extra_len = self.central_extra.len() as u16;
        h.comment_len = self.comment.len() as u16;
        // The extra field and the comment go after the name.
        let mut out = h.encode(&self.name);
        out.extend_from_slice(&self.central_extra);
        out.extend_from_slice(&self.comment);
        out
    }
}

/// A whole archive as the raw builder writes it.
#[derive(Clone, Default)]
pub(crate) struct RawZip {
    /// Bytes before everything, not counted in the offsets (a Janus prefix).
    pub prefix: Vec<u8>,
    pub entries: Vec<RawEntry>,
    /// Bytes between the last entry and the central directory.
    pub before_cd: Vec<u8>,
    pub comment: Vec<u8>,
    /// Bytes after the end record.
    pub suffix: Vec<u8>,
}

/// Built bytes and where the records are (offsets include the prefix).
pub(crate) struct Built {
    pub bytes: Vec<u8>,
    pub locals: Vec<usize>,
    pub centrals: Vec<usize>,
    pub eocd: usize,
}

impl RawZip {
    pub fn of(entries: Vec<RawEntry>) -> RawZip {
        RawZip {
            entries,
            ..RawZip::default()
        }
    }

    pub fn build(&self) -> Built {
        let mut body = Vec::new();
        let mut offsets = Vec::new();
        for e in &self.entries {
            body.extend_from_slice(&e.before);
            let offset = match e.reuse {
                Some(j) => offsets[j],
                None => {
                    let at = body.len();
                    body.extend_from_slice(&e.local());
                    body.extend_from_slice(&e.data);
                    body.extend_from_slice(&e.after);
                    at
                }
            };
            offsets.push(offset);
        }
        body.extend_from_slice(&self.before_cd);
        let cd_offset = body.len();
        let mut centrals = Vec::new();
        for (e, off) in self.entries.iter().zip(&offsets) {
            centrals.push(self.prefix.len() + body.len());
            body.extend_from_slice(&e.central(*off as u32));
        }
        let mut eocd = Eocd::canonical(
            self.entries.len() as u16,
            (body.len() - cd_offset) as u32,
            cd_offset as u32,
        );
        eocd.comment_len = self.comment.len() as u16;
        let eocd_at = self.prefix.len() + body.len();
        body.extend_from_slice(&eocd.encode());
        body.extend_from_slice(&self.comment);
        body.extend_from_slice(&self.suffix);
        let mut bytes = self.prefix.clone();
        bytes.extend_from_slice(&body);
        let locals = offsets.iter().map(|o| o + self.prefix.len()).collect();
        Built {
            bytes,
            locals,
            centrals,
            eocd: eocd_at,
        }
    }
}

pub(crate) fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// What the canonical writer makes of `entries`.
pub(crate) fn canonical(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.add_bytes(name, data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A small canonical archive used by many tests.
pub(crate) fn sample() -> Vec<u8> {
    canonical(&[
        ("bag/data/a.txt", b"alpha\n"),
        ("bag/bagit.txt", b"BagIt-Version: 1.0\n"),
        ("bag/e", b""),
    ])
}

/// Opens `bytes` as an archive.
pub(crate) fn open(bytes: &[u8], mode: Mode, limits: &Limits) -> Result<ZipReader, Error> {
    let mut f = tempfile::tempfile().unwrap();
    f.write_all(bytes).unwrap();
    ZipReader::open(f, mode, limits)
}

/// Reads every entry of an opened archive, mapping stream errors back to
/// the container error they carry.
pub(crate) fn read_all(z: &ZipReader) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut out = Vec::new();
    for (i, e) in z.entries().iter().enumerate() {
        let mut data = Vec::new();
        z.entry_reader(i)?
            .read_to_end(&mut data)
            .map_err(unwrap_io)?;
        out.push((e.name.clone(), data));
    }
    Ok(out)
}

/// The container error inside a stream error, or the I/O error itself.
fn unwrap_io(io: std::io::Error) -> Error {
    if Error::from_io(&io).is_none() {
        return Error::Io(io);
    }
    match io.into_inner().map(|b| b.downcast::<Error>()) {
        Some(Ok(e)) => *e,
        _ => unreachable!("from_io found a container error"),
    }
}

/// Opens and reads everything: the contents, or the first error.
pub(crate) fn outcome(
    bytes: &[u8],
    mode: Mode,
    limits: &Limits,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    read_all(&open(bytes, mode, limits)?)
}

// Shared by the hostile-archive tests.

/// Both modes.
pub(crate) const BOTH: &[Mode] = &[Canonical, Lenient];
/// Canonical mode only.
pub(crate) const CANON: &[Mode] = &[Canonical];
/// Lenient mode only.
pub(crate) const LENIENT: &[Mode] = &[Lenient];

/// What, the bytes, the modes to try, the expected code.
pub(crate) type Case = (&'static str, Vec<u8>, &'static [Mode], &'static str);

/// Asserts that each case fails with its code in each of its modes.
pub(crate) fn check(cases: Vec<Case>, limits: &Limits) {
    for (what, bytes, modes, code) in cases {
        for mode in modes {
            match outcome(&bytes, *mode, limits) {
                Ok(_) => panic!("{what} ({mode:?}): accepted, expected {code}"),
                Err(e) => assert_eq!(e.code(), code, "{what} ({mode:?}): {e}"),
            }
        }
    }
}

/// Two small stored entries, `d/a` and `d/b`.
pub(crate) fn two() -> Vec<RawEntry> {
    vec![
        RawEntry::stored(b"d/a", b"alpha"),
        RawEntry::stored(b"d/b", b"beta"),
    ]
}

/// The two-entry archive, changed by `edit` before it is built.
pub(crate) fn with(edit: impl Fn(&mut RawZip)) -> Vec<u8> {
    let mut z = RawZip::of(two());
    edit(&mut z);
    z.build().bytes
}

/// The two-entry archive, with bytes patched after it is built.
pub(crate) fn patched(edit: impl Fn(&mut Built)) -> Vec<u8> {
    let mut b = RawZip::of(two()).build();
    edit(&mut b);
    b.bytes
}

/// An archive of one raw entry.
pub(crate) fn one(e: RawEntry) -> Vec<u8> {
    RawZip::of(vec![e]).build().bytes
}

/// An archive of one `d/a` entry changed by `edit`.
pub(crate) fn entry_with(edit: impl Fn(&mut RawEntry)) -> Vec<u8> {
    let mut e = RawEntry::stored(b"d/a", b"alpha");
    edit(&mut e);
    one(e)
}

/// A directory entry as Info-ZIP makes it.
pub(crate) fn dir_entry(name: &[u8]) -> RawEntry {
    RawEntry {
        external: 0o040_755 << 16 | 0x10,
        ..RawEntry::stored(name, b"")
    }
}
