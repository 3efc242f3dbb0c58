//! Zip64: the zip64 end of central directory record (APPNOTE §4.3.14), its
//! locator (§4.3.15) and the zip64 extended information extra field
//! (§4.5.3), with their canonical values, and the reading of 32-bit fields
//! that hold the 0xFFFF / 0xFFFFFFFF markers.
//!
//! The canonical rule: a value moves to zip64 exactly when it does not fit
//! below its marker (a size or offset ≥ 0xFFFF_FFFF, an entry count ≥
//! 0xFFFF); its 32-bit field then holds the marker, every other field its
//! value. So the markers are never literal values in a canonical archive,
//! and zip64 appears only where it is needed.
//!
//! Invariants: `parse` never panics (fixed-size arrays); [`find_extra`] and
//! the resolvers never read outside the extra field they are given and
//! refuse a marker without its 64-bit value, and an ambiguous block (two
//! zip64 fields).

use super::format::{CentralHeader, Fields, LocalHeader};

/// Zip64 end of central directory record signature `PK\6\6`.
pub(crate) const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
/// The zip64 end record without extensible data.
pub(crate) const ZIP64_EOCD_LEN: usize = 56;
/// Its "size of zip64 end of central directory record" field: the record
/// less the signature and that field (§4.3.14.1).
pub(crate) const ZIP64_RECORD_SIZE: u64 = 44;
/// The zip64 end of central directory locator.
pub(crate) const LOCATOR_LEN: usize = 20;
/// Header ID of the zip64 extended information extra field.
pub(crate) const EXTRA_ID: u16 = 0x0001;
/// "Version needed to extract" of a record using zip64: 4.5 (§4.4.3.2).
pub(crate) const VERSION_NEEDED_ZIP64: u16 = 45;
/// The 16-bit marker: "the value is in the zip64 end record".
pub(crate) const MARK16: u16 = u16::MAX;
/// The 32-bit marker: "the value is in a zip64 record or extra field".
pub(crate) const MARK32: u32 = u32::MAX;

/// Why a zip64 structure is unusable (the text of
/// [`super::Error::Zip64Unsupported`]).
pub(crate) type Malformed = &'static str;

/// True when `v` cannot sit in a 32-bit size or offset field.
pub(crate) fn over32(v: u64) -> bool {
    v >= u64::from(MARK32)
}

/// The 32-bit field for `v`: `v` itself, or the marker.
pub(crate) fn slot32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(MARK32)
}

/// The 16-bit count field for `n`: `n` itself, or the marker.
pub(crate) fn slot16(n: u64) -> u16 {
    u16::try_from(n).unwrap_or(MARK16)
}

/// True when an archive of `count` entries whose central directory has
/// `cd_size` bytes at `cd_offset` needs the zip64 end records.
pub(crate) fn needs_end_record(count: u64, cd_size: u64, cd_offset: u64) -> bool {
    count >= u64::from(MARK16) || over32(cd_size) || over32(cd_offset)
}

/// A zip64 extra field holding `values` in order; empty for no values.
fn extra_field(values: &[u64]) -> Vec<u8> {
    if values.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(4 + 8 * values.len());
    out.extend_from_slice(&EXTRA_ID.to_le_bytes());
    out.extend_from_slice(&(8 * values.len() as u16).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// The canonical local extra field of a stored entry of `size` bytes: both
/// sizes when they overflow (a local zip64 field always holds both).
pub(crate) fn local_extra(size: u64) -> Vec<u8> {
    if over32(size) {
        extra_field(&[size, size])
    } else {
        Vec::new()
    }
}

/// The canonical central extra field of a stored entry: the overflowing
/// values among uncompressed size, compressed size, local header offset.
pub(crate) fn central_extra(size: u64, offset: u64) -> Vec<u8> {
    let mut values = Vec::with_capacity(3);
    if over32(size) {
        values.extend([size, size]);
    }
    if over32(offset) {
        values.push(offset);
    }
    extra_field(&values)
}

/// The data of the zip64 field of an extra block, if it has one. Other
/// fields are skipped; a cut-short last field that is not zip64 is
/// tolerated (some tools pad), two zip64 fields are not.
pub(crate) fn find_extra(block: &[u8]) -> Result<Option<&[u8]>, Malformed> {
    let mut found = None;
    let mut rest = block;
    while rest.len() >= 4 {
        let mut f = Fields::new(rest);
        let (id, len) = (f.u16(), usize::from(f.u16()));
        let data = rest.get(4..4 + len);
        if id == EXTRA_ID {
            let data = data.ok_or("the zip64 extra field runs past the extra field")?;
            if found.replace(data).is_some() {
                return Err("two zip64 extra fields");
            }
        }
        let Some(next) = rest.get(4 + len..) else {
            break;
        };
        rest = next;
    }
    Ok(found)
}

/// The 8-byte values of zip64 data, in order.
fn values(data: &[u8]) -> impl Iterator<Item = u64> + '_ {
    data.chunks_exact(8).map(|c| Fields::new(c).u64())
}

/// Replaces each marker among `slots` by the next value of `data`.
fn fill<const N: usize>(slots: [u32; N], data: Option<&[u8]>) -> Result<[u64; N], Malformed> {
    let mut next = values(data.unwrap_or_default());
    let mut out = [0u64; N];
    for (o, s) in out.iter_mut().zip(slots) {
        *o = match (s, data) {
            (MARK32, None) => {
                return Err("a field holds 0xffffffff but there is no zip64 extra field")
            }
            (MARK32, Some(_)) => next
                .next()
                .ok_or("the zip64 extra field is too short for the fields it must hold")?,
            _ => u64::from(s),
        };
    }
    Ok(out)
}

/// A record's sizes and offset with the markers resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Uncompressed size.
    pub size: u64,
    /// Compressed size.
    pub compressed: u64,
    /// Local header offset (0 for a local header).
    pub offset: u64,
    /// Whether the record carries a zip64 extra field.
    pub zip64: bool,
}

/// Resolves a central record's markers from its extra field `block`.
pub(crate) fn resolve_central(h: &CentralHeader, block: &[u8]) -> Result<Resolved, Malformed> {
    if h.disk == MARK16 {
        return Err("the entry's disk number is in a zip64 field (a split archive)");
    }
    let data = find_extra(block)?;
    let [size, compressed, offset] = fill([h.uncompressed, h.compressed, h.offset], data)?;
    Ok(Resolved {
        size,
        compressed,
        offset,
        zip64: data.is_some(),
    })
}

/// Resolves a local header's size markers from its extra field `block`.
/// A local zip64 field "MUST include BOTH" sizes (§4.5.3): when it has
/// room for both they are read from their fixed places, whichever 32-bit
/// field holds the marker; a shorter one is read in order.
pub(crate) fn resolve_local(h: &LocalHeader, block: &[u8]) -> Result<Resolved, Malformed> {
    let data = find_extra(block)?;
    let [size, compressed] = match data {
        Some(d) if d.len() >= 16 => {
            let mut v = values(d);
            let (u, c) = (v.next().unwrap_or(0), v.next().unwrap_or(0));
            let pick = |slot: u32, wide: u64| if slot == MARK32 { wide } else { slot.into() };
            [pick(h.uncompressed, u), pick(h.compressed, c)]
        }
        _ => fill([h.uncompressed, h.compressed], data)?,
    };
    Ok(Resolved {
        size,
        compressed,
        offset: 0,
        zip64: data.is_some(),
    })
}

/// The first difference, by field name, between a header's fixed fields
/// and extra field and the canonical ones.
pub(crate) fn first_difference(
    found: (&[(&'static str, u64)], &[u8]),
    expected: (&[(&'static str, u64)], &[u8]),
) -> Option<(&'static str, u64, u64)> {
    super::format::first_difference(found.0, expected.0).or_else(|| {
        super::format::first_difference(&extra_fields(found.1), &extra_fields(expected.1))
    })
}

/// The fields of an extra block laid out as a canonical zip64 field, by
/// name, so that a canonical comparison can name the first difference.
fn extra_fields(block: &[u8]) -> Vec<(&'static str, u64)> {
    let mut f = Fields::new(block);
    let mut out = vec![
        ("zip64 extra field id", u64::from(f.u16())),
        ("zip64 extra field size", u64::from(f.u16())),
    ];
    let rest = block.get(4..).unwrap_or_default();
    out.extend(values(rest).map(|v| ("zip64 extra field value", v)));
    out
}

/// The zip64 end of central directory record (§4.3.14), without
/// extensible data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Zip64Eocd {
    pub record_size: u64,
    pub made_by: u16,
    pub version_needed: u16,
    pub disk: u32,
    pub cd_disk: u32,
    pub entries_on_disk: u64,
    pub entries: u64,
    pub cd_size: u64,
    pub cd_offset: u64,
}

impl Zip64Eocd {
    /// The record the writer produces.
    pub fn canonical(entries: u64, cd_size: u64, cd_offset: u64) -> Zip64Eocd {
        Zip64Eocd {
            record_size: ZIP64_RECORD_SIZE,
            made_by: super::format::VERSION_MADE_BY,
            version_needed: VERSION_NEEDED_ZIP64,
            disk: 0,
            cd_disk: 0,
            entries_on_disk: entries,
            entries,
            cd_size,
            cd_offset,
        }
    }

    /// Parses the fixed part; `None` without the signature.
    pub fn parse(b: &[u8; ZIP64_EOCD_LEN]) -> Option<Zip64Eocd> {
        let mut f = Fields::new(b);
        if f.u32() != ZIP64_EOCD_SIG {
            return None;
        }
        Some(Zip64Eocd {
            record_size: f.u64(),
            made_by: f.u16(),
            version_needed: f.u16(),
            disk: f.u32(),
            cd_disk: f.u32(),
            entries_on_disk: f.u64(),
            entries: f.u64(),
            cd_size: f.u64(),
            cd_offset: f.u64(),
        })
    }

    /// The 56-byte record.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(ZIP64_EOCD_LEN);
        out.extend_from_slice(&ZIP64_EOCD_SIG.to_le_bytes());
        out.extend_from_slice(&self.record_size.to_le_bytes());
        out.extend_from_slice(&self.made_by.to_le_bytes());
        out.extend_from_slice(&self.version_needed.to_le_bytes());
        out.extend_from_slice(&self.disk.to_le_bytes());
        out.extend_from_slice(&self.cd_disk.to_le_bytes());
        for v in [
            self.entries_on_disk,
            self.entries,
            self.cd_size,
            self.cd_offset,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Every field, by name, in record order.
    pub fn fields(&self) -> [(&'static str, u64); 9] {
        [
            ("record size", self.record_size),
            ("version made by", self.made_by.into()),
            ("version needed", self.version_needed.into()),
            ("disk number", self.disk.into()),
            ("central directory disk", self.cd_disk.into()),
            ("entries on this disk", self.entries_on_disk),
            ("total entries", self.entries),
            ("central directory size", self.cd_size),
            ("central directory offset", self.cd_offset),
        ]
    }
}

/// The zip64 end of central directory locator (§4.3.15).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Locator {
    /// Disk holding the zip64 end record.
    pub disk: u32,
    /// Offset of the zip64 end record.
    pub offset: u64,
    /// Total number of disks.
    pub total_disks: u32,
}

impl Locator {
    /// The locator the writer produces for a zip64 end record at `offset`.
    pub fn canonical(offset: u64) -> Locator {
        Locator {
            disk: 0,
            offset,
            total_disks: 1,
        }
    }

    /// Parses a locator; `None` without the signature.
    pub fn parse(b: &[u8; LOCATOR_LEN]) -> Option<Locator> {
        let mut f = Fields::new(b);
        if f.u32() != super::format::ZIP64_LOCATOR_SIG {
            return None;
        }
        Some(Locator {
            disk: f.u32(),
            offset: f.u64(),
            total_disks: f.u32(),
        })
    }

    /// The 20-byte locator.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(LOCATOR_LEN);
        out.extend_from_slice(&super::format::ZIP64_LOCATOR_SIG.to_le_bytes());
        out.extend_from_slice(&self.disk.to_le_bytes());
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(&self.total_disks.to_le_bytes());
        out
    }

    /// Every field, by name, in record order.
    pub fn fields(&self) -> [(&'static str, u64); 3] {
        [
            ("zip64 end record disk", self.disk.into()),
            ("zip64 end record offset", self.offset),
            ("total disks", self.total_disks.into()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_move_to_zip64_from_the_marker_on() {
        let cases: &[(u64, bool, u32)] = &[
            (0, false, 0),
            (0xFFFF_FFFE, false, 0xFFFF_FFFE),
            (0xFFFF_FFFF, true, MARK32),
            (1 << 32, true, MARK32),
            (u64::MAX, true, MARK32),
        ];
        for (v, over, slot) in cases {
            assert_eq!((over32(*v), slot32(*v)), (*over, *slot), "{v:#x}");
        }
        assert_eq!(
            (slot16(0xFFFE), slot16(0xFFFF), slot16(70_000)),
            (0xFFFE, MARK16, MARK16)
        );
        let needs = [
            ((0xFFFE, 0, 0), false),
            ((0xFFFF, 0, 0), true),
            ((0, 0xFFFF_FFFE, 0xFFFF_FFFE), false),
            ((0, 0xFFFF_FFFF, 0), true),
            ((0, 0, 0xFFFF_FFFF), true),
        ];
        for ((n, size, offset), want) in needs {
            assert_eq!(
                needs_end_record(n, size, offset),
                want,
                "{n} {size} {offset}"
            );
        }
    }

    #[test]
    fn extra_fields_hold_exactly_the_overflowing_values_in_order() {
        let (big, small) = (5u64 << 30, 7u64);
        let le = |v: &[u64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
            (local_extra(small), vec![]),
            (
                local_extra(big),
                [&[1, 0, 16, 0][..], &le(&[big, big])].concat(),
            ),
            (central_extra(small, small), vec![]),
            (
                central_extra(big, small),
                [&[1, 0, 16, 0][..], &le(&[big, big])].concat(),
            ),
            (
                central_extra(small, big),
                [&[1, 0, 8, 0][..], &le(&[big])].concat(),
            ),
            (
                central_extra(big, big),
                [&[1, 0, 24, 0][..], &le(&[big, big, big])].concat(),
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn canonical_headers_use_zip64_only_for_overflowing_values() {
        let (h, extra) = LocalHeader::canonical_for(1, 0xFFFF_FFFE, 3);
        assert_eq!(
            (h.version_needed, h.compressed, h.extra_len),
            (20, 0xFFFF_FFFE, 0)
        );
        assert!(extra.is_empty());
        let (h, extra) = LocalHeader::canonical_for(1, 0xFFFF_FFFF, 3);
        assert_eq!(
            (h.version_needed, h.uncompressed, h.extra_len),
            (45, MARK32, 20)
        );
        assert_eq!(extra, local_extra(0xFFFF_FFFF));
        let (h, extra) = CentralHeader::canonical_for(1, 9, 3, 1 << 32);
        assert_eq!(
            (h.version_needed, h.compressed, h.offset, h.extra_len),
            (45, 9, MARK32, 12)
        );
        assert_eq!(
            resolve_central(&h, &extra).map(|z| (z.size, z.offset)),
            Ok((9, 1 << 32))
        );
    }

    #[test]
    fn find_extra_skips_other_fields_and_refuses_ambiguity() {
        let z = [1, 0, 8, 0, 9, 0, 0, 0, 0, 0, 0, 0];
        let ut = [0x55, 0x54, 1, 0, 7];
        let padded = [&ut[..], &z, &[0, 0, 0]].concat();
        assert_eq!(find_extra(&padded), Ok(Some(&z[4..])));
        assert_eq!(find_extra(&ut), Ok(None));
        assert_eq!(
            find_extra(&[0x55, 0x54, 9, 0, 1]),
            Ok(None),
            "cut-short other field"
        );
        assert!(find_extra(&[z, z].concat()).is_err());
        assert!(find_extra(&z[..8]).is_err(), "cut-short zip64 field");
    }

    #[test]
    fn local_sizes_are_read_from_their_fixed_places() {
        let mut h = LocalHeader::canonical(0, 5, 1);
        let both = central_extra(6 << 30, 0);
        h.compressed = MARK32;
        let z = resolve_local(&h, &both).unwrap();
        assert_eq!((z.size, z.compressed, z.zip64), (5, 6 << 30, true));
        h.uncompressed = MARK32;
        assert!(resolve_local(&h, &[]).is_err());
        assert!(resolve_local(&h, &[1, 0, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn end_records_round_trip_through_encode_and_parse() {
        let r = Zip64Eocd::canonical(70_000, 1 << 33, 1 << 34);
        let fixed: [u8; ZIP64_EOCD_LEN] = r.encode().try_into().unwrap();
        assert_eq!(Zip64Eocd::parse(&fixed), Some(r));
        let l = Locator::canonical(1 << 35);
        let fixed: [u8; LOCATOR_LEN] = l.encode().try_into().unwrap();
        assert_eq!(Locator::parse(&fixed), Some(l));
        assert_eq!(Zip64Eocd::parse(&[0; ZIP64_EOCD_LEN]), None);
        assert_eq!(Locator::parse(&[0; LOCATOR_LEN]), None);
    }
}
