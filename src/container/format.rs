//! Byte layout of the three classic zip records docseal uses, and their
//! canonical values: local file header (APPNOTE §4.3.7), central directory
//! header (§4.3.12) and end of central directory record (§4.3.16); field
//! meanings in §4.4. All integers are little-endian. The zip64 records are
//! in `zip64`; the `canonical_for` constructors put 64-bit values in these
//! records the canonical way (the value, or the marker and a zip64 field).
//!
//! Invariants: `parse` never panics (it reads fixed-size arrays) and
//! `encode(parse(x)) == x` for the fixed part; each header can list its
//! fields by name so that comparisons report the first differing field.

use super::zip64::{self, slot16, slot32, VERSION_NEEDED_ZIP64};

/// Local file header signature `PK\3\4`.
pub(crate) const LOCAL_SIG: u32 = 0x0403_4b50;
/// Central directory header signature `PK\1\2`.
pub(crate) const CENTRAL_SIG: u32 = 0x0201_4b50;
/// End of central directory signature `PK\5\6`.
pub(crate) const EOCD_SIG: u32 = 0x0605_4b50;
/// Zip64 end of central directory locator signature `PK\6\7`.
pub(crate) const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
/// Optional data descriptor signature `PK\7\8` (§4.3.9.3).
pub(crate) const DESCRIPTOR_SIG: u32 = 0x0807_4b50;

/// Fixed part of a local header.
pub(crate) const LOCAL_LEN: usize = 30;
/// Fixed part of a central header.
pub(crate) const CENTRAL_LEN: usize = 46;
/// End record without its comment.
pub(crate) const EOCD_LEN: usize = 22;

/// Canonical "version made by": Unix (3) << 8 | spec 3.0 (30).
pub(crate) const VERSION_MADE_BY: u16 = 0x031E;
/// Canonical "version needed to extract": 2.0.
pub(crate) const VERSION_NEEDED: u16 = 20;
/// Flag bit 0: traditional encryption.
pub(crate) const FLAG_ENCRYPTED: u16 = 0x0001;
/// Flag bit 3: sizes and CRC in a data descriptor after the data.
pub(crate) const FLAG_DESCRIPTOR: u16 = 0x0008;
/// Flag bit 6: strong encryption.
pub(crate) const FLAG_STRONG: u16 = 0x0040;
/// Flag bit 11: names and comments are UTF-8 (the canonical flags value).
pub(crate) const FLAG_UTF8: u16 = 0x0800;
/// Flag bit 13: central directory encryption.
pub(crate) const FLAG_CD_ENCRYPTED: u16 = 0x2000;
/// Canonical MS-DOS time (00:00:00).
pub(crate) const DOS_TIME: u16 = 0x0000;
/// Canonical MS-DOS date (1980-01-01).
pub(crate) const DOS_DATE: u16 = 0x0021;
/// Canonical external attributes: a regular file, mode 0644.
pub(crate) const EXTERNAL_ATTRS: u32 = 0o100_644 << 16;
/// Method 0.
pub(crate) const METHOD_STORED: u16 = 0;
/// Method 8.
pub(crate) const METHOD_DEFLATED: u16 = 8;
/// Method 99: WinZip AES encryption.
pub(crate) const METHOD_AES: u16 = 99;

/// Reads little-endian integers from a record; past its end, reads 0.
pub(crate) struct Fields<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Fields<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Fields<'a> {
        Fields { bytes, at: 0 }
    }
    pub fn u16(&mut self) -> u16 {
        let v = self
            .bytes
            .get(self.at..self.at + 2)
            .and_then(|s| <[u8; 2]>::try_from(s).ok());
        self.at += 2;
        v.map_or(0, u16::from_le_bytes)
    }
    pub fn u32(&mut self) -> u32 {
        let v = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok());
        self.at += 4;
        v.map_or(0, u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> u64 {
        let v = self
            .bytes
            .get(self.at..self.at + 8)
            .and_then(|s| <[u8; 8]>::try_from(s).ok());
        self.at += 8;
        v.map_or(0, u64::from_le_bytes)
    }
}

/// The little-endian u32 at the start of `b` (0 if shorter).
pub(crate) fn sig_at(b: &[u8]) -> u32 {
    Fields::new(b).u32()
}

/// Fixed part of a local file header (§4.3.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LocalHeader {
    pub version_needed: u16,
    pub flags: u16,
    pub method: u16,
    pub time: u16,
    pub date: u16,
    pub crc32: u32,
    pub compressed: u32,
    pub uncompressed: u32,
    pub name_len: u16,
    pub extra_len: u16,
}

impl LocalHeader {
    /// The header the writer produces for a stored entry.
    pub fn canonical(crc32: u32, size: u32, name_len: u16) -> LocalHeader {
        LocalHeader {
            version_needed: VERSION_NEEDED,
            flags: FLAG_UTF8,
            method: METHOD_STORED,
            time: DOS_TIME,
            date: DOS_DATE,
            crc32,
            compressed: size,
            uncompressed: size,
            name_len,
            extra_len: 0,
        }
    }

    /// The header and extra field the writer produces for a stored entry
    /// of `size` bytes: with a zip64 field holding both sizes, and version
    /// needed 4.5, when the size overflows.
    pub fn canonical_for(crc32: u32, size: u64, name_len: u16) -> (LocalHeader, Vec<u8>) {
        let extra = zip64::local_extra(size);
        let mut h = LocalHeader::canonical(crc32, slot32(size), name_len);
        if !extra.is_empty() {
            h.version_needed = VERSION_NEEDED_ZIP64;
            h.extra_len = extra.len() as u16;
        }
        (h, extra)
    }

    /// Parses the fixed part; `None` without the signature.
    pub fn parse(b: &[u8; LOCAL_LEN]) -> Option<LocalHeader> {
        let mut f = Fields::new(b);
        if f.u32() != LOCAL_SIG {
            return None;
        }
        Some(LocalHeader {
            version_needed: f.u16(),
            flags: f.u16(),
            method: f.u16(),
            time: f.u16(),
            date: f.u16(),
            crc32: f.u32(),
            compressed: f.u32(),
            uncompressed: f.u32(),
            name_len: f.u16(),
            extra_len: f.u16(),
        })
    }

    /// The fixed part followed by `name` (extra field empty).
    pub fn encode(&self, name: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(LOCAL_LEN + name.len());
        out.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        for v in [
            self.version_needed,
            self.flags,
            self.method,
            self.time,
            self.date,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [self.crc32, self.compressed, self.uncompressed] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.name_len.to_le_bytes());
        out.extend_from_slice(&self.extra_len.to_le_bytes());
        out.extend_from_slice(name);
        out
    }

    /// The fields the canonical form fixes, by name, in header order.
    pub fn fixed_fields(&self) -> [(&'static str, u64); 7] {
        [
            ("version needed", self.version_needed.into()),
            ("modification time", self.time.into()),
            ("modification date", self.date.into()),
            ("compressed size", self.compressed.into()),
            ("uncompressed size", self.uncompressed.into()),
            ("extra field length", self.extra_len.into()),
            ("flags", self.flags.into()),
        ]
    }
}

/// Fixed part of a central directory header (§4.3.12).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CentralHeader {
    pub made_by: u16,
    pub version_needed: u16,
    pub flags: u16,
    pub method: u16,
    pub time: u16,
    pub date: u16,
    pub crc32: u32,
    pub compressed: u32,
    pub uncompressed: u32,
    pub name_len: u16,
    pub extra_len: u16,
    pub comment_len: u16,
    pub disk: u16,
    pub internal: u16,
    pub external: u32,
    pub offset: u32,
}

impl CentralHeader {
    /// The record the writer produces for a stored entry.
    pub fn canonical(crc32: u32, size: u32, name_len: u16, offset: u32) -> CentralHeader {
        CentralHeader {
            made_by: VERSION_MADE_BY,
            version_needed: VERSION_NEEDED,
            flags: FLAG_UTF8,
            method: METHOD_STORED,
            time: DOS_TIME,
            date: DOS_DATE,
            crc32,
            compressed: size,
            uncompressed: size,
            name_len,
            extra_len: 0,
            comment_len: 0,
            disk: 0,
            internal: 0,
            external: EXTERNAL_ATTRS,
            offset,
        }
    }

    /// The record and extra field the writer produces for a stored entry
    /// of `size` bytes at `offset`: the overflowing values in a zip64
    /// field, and version needed 4.5, when there are any.
    pub fn canonical_for(
        crc32: u32,
        size: u64,
        name_len: u16,
        offset: u64,
    ) -> (CentralHeader, Vec<u8>) {
        let extra = zip64::central_extra(size, offset);
        let mut h = CentralHeader::canonical(crc32, slot32(size), name_len, slot32(offset));
        if !extra.is_empty() {
            h.version_needed = VERSION_NEEDED_ZIP64;
            h.extra_len = extra.len() as u16;
        }
        (h, extra)
    }

    /// Parses the fixed part; `None` without the signature.
    pub fn parse(b: &[u8; CENTRAL_LEN]) -> Option<CentralHeader> {
        let mut f = Fields::new(b);
        if f.u32() != CENTRAL_SIG {
            return None;
        }
        Some(CentralHeader {
            made_by: f.u16(),
            version_needed: f.u16(),
            flags: f.u16(),
            method: f.u16(),
            time: f.u16(),
            date: f.u16(),
            crc32: f.u32(),
            compressed: f.u32(),
            uncompressed: f.u32(),
            name_len: f.u16(),
            extra_len: f.u16(),
            comment_len: f.u16(),
            disk: f.u16(),
            internal: f.u16(),
            external: f.u32(),
            offset: f.u32(),
        })
    }

    /// The fixed part followed by `name` (extra field and comment empty).
    pub fn encode(&self, name: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(CENTRAL_LEN + name.len());
        out.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
        for v in [
            self.made_by,
            self.version_needed,
            self.flags,
            self.method,
            self.time,
            self.date,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [self.crc32, self.compressed, self.uncompressed] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [
            self.name_len,
            self.extra_len,
            self.comment_len,
            self.disk,
            self.internal,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.external.to_le_bytes());
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(name);
        out
    }

    /// The fields the canonical form fixes, by name, in header order.
    pub fn fixed_fields(&self) -> [(&'static str, u64); 14] {
        [
            ("version made by", self.made_by.into()),
            ("version needed", self.version_needed.into()),
            ("flags", self.flags.into()),
            ("method", self.method.into()),
            ("modification time", self.time.into()),
            ("modification date", self.date.into()),
            ("compressed size", self.compressed.into()),
            ("uncompressed size", self.uncompressed.into()),
            ("extra field length", self.extra_len.into()),
            ("comment length", self.comment_len.into()),
            ("disk number", self.disk.into()),
            ("internal attributes", self.internal.into()),
            ("external attributes", self.external.into()),
            ("local header offset", self.offset.into()),
        ]
    }
}

/// End of central directory record (§4.3.16), without the comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Eocd {
    pub disk: u16,
    pub cd_disk: u16,
    pub entries_on_disk: u16,
    pub entries: u16,
    pub cd_size: u32,
    pub cd_offset: u32,
    pub comment_len: u16,
}

impl Eocd {
    /// The record the writer produces.
    pub fn canonical(entries: u16, cd_size: u32, cd_offset: u32) -> Eocd {
        Eocd {
            disk: 0,
            cd_disk: 0,
            entries_on_disk: entries,
            entries,
            cd_size,
            cd_offset,
            comment_len: 0,
        }
    }

    /// The record the writer produces for `count` entries and a central
    /// directory of `cd_size` bytes at `cd_offset`: the overflowing fields
    /// hold the markers (their values are in the zip64 end record).
    pub fn canonical_for(count: u64, cd_size: u64, cd_offset: u64) -> Eocd {
        Eocd::canonical(slot16(count), slot32(cd_size), slot32(cd_offset))
    }

    /// Parses a record; `None` without the signature.
    pub fn parse(b: &[u8; EOCD_LEN]) -> Option<Eocd> {
        let mut f = Fields::new(b);
        if f.u32() != EOCD_SIG {
            return None;
        }
        Some(Eocd {
            disk: f.u16(),
            cd_disk: f.u16(),
            entries_on_disk: f.u16(),
            entries: f.u16(),
            cd_size: f.u32(),
            cd_offset: f.u32(),
            comment_len: f.u16(),
        })
    }

    /// The 22-byte record.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(EOCD_LEN);
        out.extend_from_slice(&EOCD_SIG.to_le_bytes());
        for v in [self.disk, self.cd_disk, self.entries_on_disk, self.entries] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.cd_size.to_le_bytes());
        out.extend_from_slice(&self.cd_offset.to_le_bytes());
        out.extend_from_slice(&self.comment_len.to_le_bytes());
        out
    }

    /// Every field, by name, in record order.
    pub fn fields(&self) -> [(&'static str, u64); 7] {
        [
            ("disk number", self.disk.into()),
            ("central directory disk", self.cd_disk.into()),
            ("entries on this disk", self.entries_on_disk.into()),
            ("total entries", self.entries.into()),
            ("central directory size", self.cd_size.into()),
            ("central directory offset", self.cd_offset.into()),
            ("comment length", self.comment_len.into()),
        ]
    }
}

/// The first field, by name, whose value differs between two field lists
/// (compared position by position).
pub(crate) fn first_difference(
    found: &[(&'static str, u64)],
    expected: &[(&'static str, u64)],
) -> Option<(&'static str, u64, u64)> {
    found
        .iter()
        .zip(expected)
        .find(|(f, e)| f.1 != e.1)
        .map(|(f, e)| (f.0, f.1, e.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_through_encode_and_parse() {
        let l = LocalHeader::canonical(0xDEAD_BEEF, 5, 3);
        let bytes = l.encode(b"abc");
        let fixed: [u8; LOCAL_LEN] = bytes[..LOCAL_LEN].try_into().unwrap();
        assert_eq!(LocalHeader::parse(&fixed), Some(l));
        let c = CentralHeader::canonical(1, 2, 3, 4);
        let bytes = c.encode(b"abc");
        let fixed: [u8; CENTRAL_LEN] = bytes[..CENTRAL_LEN].try_into().unwrap();
        assert_eq!(CentralHeader::parse(&fixed), Some(c));
        let e = Eocd::canonical(2, 100, 200);
        let fixed: [u8; EOCD_LEN] = e.encode().try_into().unwrap();
        assert_eq!(Eocd::parse(&fixed), Some(e));
    }

    #[test]
    fn parse_refuses_a_wrong_signature() {
        assert_eq!(LocalHeader::parse(&[0; LOCAL_LEN]), None);
        assert_eq!(CentralHeader::parse(&[0; CENTRAL_LEN]), None);
        assert_eq!(Eocd::parse(&[0; EOCD_LEN]), None);
    }

    #[test]
    fn first_difference_names_the_first_differing_field() {
        let a = CentralHeader::canonical(1, 2, 3, 4);
        let mut b = a.clone();
        b.internal = 1;
        b.external = 0;
        assert_eq!(
            first_difference(&b.fixed_fields(), &a.fixed_fields()),
            Some(("internal attributes", 1, 0))
        );
        assert_eq!(first_difference(&a.fixed_fields(), &a.fixed_fields()), None);
    }
}
