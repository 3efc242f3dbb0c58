//! A zip builder for whole bundles that writes whatever it is told: each
//! entry's method, flags, host, attributes, extra fields, descriptor and
//! the bytes around it; the archive's comment, stray bytes and zip64 end
//! records. With the defaults it writes docseal's canonical layout
//! (checked by `the_builder_is_canonical_by_default`).

use std::io::Write;

use crate::hostile::kit::Entries;

/// One entry as the builder writes it.
#[derive(Clone)]
pub struct E {
    pub name: Vec<u8>,
    /// The uncompressed bytes.
    pub data: Vec<u8>,
    pub deflate: bool,
    pub version_needed: u16,
    pub flags: u16,
    pub made_by: u16,
    pub external: u32,
    pub local_extra: Vec<u8>,
    pub central_extra: Vec<u8>,
    /// Write a data descriptor (with signature) after the data.
    pub descriptor: bool,
    /// Bytes before the local header, not listed anywhere.
    pub before: Vec<u8>,
    /// Bytes after the (deflated) data, counted in the compressed size.
    pub packed_tail: Vec<u8>,
    /// The central record's comment.
    pub comment: Vec<u8>,
}

impl E {
    /// A stored regular file as docseal writes it.
    pub fn file(name: &[u8], data: &[u8]) -> E {
        E {
            name: name.to_vec(),
            data: data.to_vec(),
            deflate: false,
            version_needed: 20,
            flags: 0x0800,
            made_by: 0x031E,
            external: 0o100_644 << 16,
            local_extra: Vec::new(),
            central_extra: Vec::new(),
            descriptor: false,
            before: Vec::new(),
            packed_tail: Vec::new(),
            comment: Vec::new(),
        }
    }

    /// A directory entry as Info-ZIP writes it.
    pub fn dir(name: &[u8]) -> E {
        E {
            external: 0o040_755 << 16 | 0x10,
            ..E::file(name, b"")
        }
    }

    fn packed(&self) -> Vec<u8> {
        let mut out = if self.deflate {
            let mut z =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(&self.data).expect("deflate");
            z.finish().expect("deflate")
        } else {
            self.data.clone()
        };
        out.extend_from_slice(&self.packed_tail);
        out
    }
}

/// A whole archive.
#[derive(Clone, Default)]
pub struct Z {
    pub entries: Vec<E>,
    /// Bytes between the last entry and the central directory.
    pub before_cd: Vec<u8>,
    pub comment: Vec<u8>,
    /// Write zip64 end records with this extensible data.
    pub zip64_ext: Option<Vec<u8>>,
}

fn le16(out: &mut Vec<u8>, vs: &[u16]) {
    vs.iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
}

fn le32(out: &mut Vec<u8>, vs: &[u32]) {
    vs.iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
}

impl Z {
    /// The bundle's entries, each as docseal writes it.
    pub fn of(e: &Entries) -> Z {
        Z {
            entries: e.iter().map(|(n, d)| E::file(n, d)).collect(),
            ..Z::default()
        }
    }

    /// The entry whose name ends with `suffix`.
    pub fn entry(&mut self, suffix: &str) -> &mut E {
        self.entries
            .iter_mut()
            .find(|e| e.name.ends_with(suffix.as_bytes()))
            .unwrap_or_else(|| panic!("no entry {suffix}"))
    }

    pub fn build(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for e in &self.entries {
            out.extend_from_slice(&e.before);
            let offset = out.len() as u32;
            let packed = e.packed();
            let crc = crc32fast::hash(&e.data);
            let (csize, size) = (packed.len() as u32, e.data.len() as u32);
            let method = if e.deflate { 8 } else { 0 };
            let (nl, el) = (e.name.len() as u16, e.local_extra.len() as u16);
            le32(&mut out, &[0x0403_4b50]);
            le16(&mut out, &[e.version_needed, e.flags, method, 0, 0x0021]);
            le32(&mut out, &[crc, csize, size]);
            le16(&mut out, &[nl, el]);
            out.extend_from_slice(&e.name);
            out.extend_from_slice(&e.local_extra);
            out.extend_from_slice(&packed);
            if e.descriptor {
                le32(&mut out, &[0x0807_4b50, crc, csize, size]);
            }
            le32(&mut central, &[0x0201_4b50]);
            le16(
                &mut central,
                &[e.made_by, e.version_needed, e.flags, method, 0, 0x0021],
            );
            le32(&mut central, &[crc, csize, size]);
            let (xl, cl) = (e.central_extra.len() as u16, e.comment.len() as u16);
            le16(&mut central, &[nl, xl, cl, 0, 0]);
            le32(&mut central, &[e.external, offset]);
            central.extend_from_slice(&e.name);
            central.extend_from_slice(&e.central_extra);
            central.extend_from_slice(&e.comment);
        }
        out.extend_from_slice(&self.before_cd);
        let cd_at = out.len() as u32;
        out.extend_from_slice(&central);
        let n = self.entries.len() as u16;
        if let Some(ext) = &self.zip64_ext {
            let at = out.len() as u64;
            le32(&mut out, &[0x0606_4b50]);
            out.extend_from_slice(&(44 + ext.len() as u64).to_le_bytes());
            le16(&mut out, &[0x031E, 45]);
            le32(&mut out, &[0, 0]);
            for v in [n.into(), n.into(), central.len() as u64, cd_at.into()] {
                out.extend_from_slice(&u64::to_le_bytes(v));
            }
            out.extend_from_slice(ext);
            le32(&mut out, &[0x0706_4b50, 0]);
            out.extend_from_slice(&at.to_le_bytes());
            le32(&mut out, &[1]);
        }
        le32(&mut out, &[0x0605_4b50, 0]);
        le16(&mut out, &[n, n]);
        le32(&mut out, &[central.len() as u32, cd_at]);
        le16(&mut out, &[self.comment.len() as u16]);
        out.extend_from_slice(&self.comment);
        out
    }
}

/// One extra field.
pub fn field(id: u16, data: &[u8]) -> Vec<u8> {
    let mut out = id.to_le_bytes().to_vec();
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// An Info-ZIP Unicode Path field (0x7075) naming `name` for a header
/// whose name is `header_name`.
pub fn unicode_path(header_name: &[u8], name: &[u8]) -> Vec<u8> {
    let mut data = vec![1];
    data.extend_from_slice(&crc32fast::hash(header_name).to_le_bytes());
    data.extend_from_slice(name);
    field(0x7075, &data)
}
