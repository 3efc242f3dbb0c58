//! Checksum algorithms of manifests (RFC 8493 §2.1.3, §2.4).
//!
//! The manifest name `manifest-ALG.txt` names the algorithm in lower case.
//! docseal checks the ones bagit-python can compute on every platform and
//! RFC 8493 names: md5, sha1, sha224, sha256, sha384, sha512, and BLAKE2
//! (`blake2b` = BLAKE2b-512, `blake2s` = BLAKE2s-256, as Python's hashlib).
//! A file is read once, whatever the number of algorithms listing it.

use std::io::{self, Read};

use blake2::{Blake2b512, Blake2s256};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

/// A checksum algorithm docseal computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    /// MD5 (RFC 1321).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// BLAKE2b with a 64-byte digest.
    Blake2b,
    /// BLAKE2s with a 32-byte digest.
    Blake2s,
}

/// Every algorithm, in the order reports list them.
pub const ALL: [Algorithm; 8] = [
    Algorithm::Md5,
    Algorithm::Sha1,
    Algorithm::Sha224,
    Algorithm::Sha256,
    Algorithm::Sha384,
    Algorithm::Sha512,
    Algorithm::Blake2b,
    Algorithm::Blake2s,
];

impl Algorithm {
    /// The name in manifest file names.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha224 => "sha224",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
            Algorithm::Blake2b => "blake2b",
            Algorithm::Blake2s => "blake2s",
        }
    }

    /// The algorithm a manifest file name's `ALG` denotes.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        ALL.into_iter().find(|a| a.name() == name)
    }

    /// Length of a digest in hexadecimal digits.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Md5 => 32,
            Algorithm::Sha1 => 40,
            Algorithm::Sha224 => 56,
            Algorithm::Sha256 | Algorithm::Blake2s => 64,
            Algorithm::Sha384 => 96,
            Algorithm::Sha512 | Algorithm::Blake2b => 128,
        }
    }

    fn hasher(self) -> Box<dyn digest::DynDigest> {
        match self {
            Algorithm::Md5 => Box::new(Md5::new()),
            Algorithm::Sha1 => Box::new(Sha1::new()),
            Algorithm::Sha224 => Box::new(Sha224::new()),
            Algorithm::Sha256 => Box::new(Sha256::new()),
            Algorithm::Sha384 => Box::new(Sha384::new()),
            Algorithm::Sha512 => Box::new(Sha512::new()),
            Algorithm::Blake2b => Box::new(Blake2b512::new()),
            Algorithm::Blake2s => Box::new(Blake2s256::new()),
        }
    }
}

/// Reads `r` to its end once and returns each algorithm's digest in
/// lower-case hex, with the number of bytes read.
pub fn hash_all(r: &mut dyn Read, algs: &[Algorithm]) -> io::Result<(u64, Vec<String>)> {
    let mut hashers: Vec<Box<dyn digest::DynDigest>> = algs.iter().map(|a| a.hasher()).collect();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        for h in &mut hashers {
            h.update(chunk);
        }
        total += n as u64;
    }
    let hex = hashers
        .into_iter()
        .map(|h| h.finalize().iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    Ok((total, hex))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests_of_abc() {
        let (n, d) = hash_all(&mut &b"abc"[..], &ALL).unwrap();
        assert_eq!(n, 3);
        assert_eq!(d[0], "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(d[1], "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            d[3],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        for (a, h) in ALL.iter().zip(&d) {
            assert_eq!(h.len(), a.hex_len(), "{a:?}");
            assert_eq!(Algorithm::from_name(a.name()), Some(*a));
        }
        assert_eq!(Algorithm::from_name("SHA256"), None);
    }
}
