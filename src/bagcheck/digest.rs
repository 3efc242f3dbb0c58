//! Checksum algorithms of manifests (RFC 8493 §2.1.3, §2.4).
//!
//! The manifest name `manifest-ALG.txt` names the algorithm in lower case.
//! docseal checks the ones bagit-python can compute on every platform and
//! RFC 8493 names: md5, sha1, sha224, sha256, sha384, sha512, SHA-3
//! (`sha3_224` … `sha3_512`) and BLAKE2 (`blake2b` = BLAKE2b-512, `blake2s`
//! = BLAKE2s-256), named as Python's hashlib names them.
//! A file is read once, whatever the number of algorithms listing it.

use std::io::{self, Read};

use blake2::{Blake2b512, Blake2s256};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use sha3::{Sha3_224, Sha3_256, Sha3_384, Sha3_512};

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
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// BLAKE2b with a 64-byte digest.
    Blake2b,
    /// BLAKE2s with a 32-byte digest.
    Blake2s,
}

/// Every algorithm, in the order reports list them.
pub const ALL: [Algorithm; 12] = [
    Algorithm::Md5,
    Algorithm::Sha1,
    Algorithm::Sha224,
    Algorithm::Sha256,
    Algorithm::Sha384,
    Algorithm::Sha512,
    Algorithm::Sha3_224,
    Algorithm::Sha3_256,
    Algorithm::Sha3_384,
    Algorithm::Sha3_512,
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
            Algorithm::Sha3_224 => "sha3_224",
            Algorithm::Sha3_256 => "sha3_256",
            Algorithm::Sha3_384 => "sha3_384",
            Algorithm::Sha3_512 => "sha3_512",
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
            Algorithm::Sha224 | Algorithm::Sha3_224 => 56,
            Algorithm::Sha256 | Algorithm::Sha3_256 | Algorithm::Blake2s => 64,
            Algorithm::Sha384 | Algorithm::Sha3_384 => 96,
            Algorithm::Sha512 | Algorithm::Sha3_512 | Algorithm::Blake2b => 128,
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
            Algorithm::Sha3_224 => Box::new(Sha3_224::new()),
            Algorithm::Sha3_256 => Box::new(Sha3_256::new()),
            Algorithm::Sha3_384 => Box::new(Sha3_384::new()),
            Algorithm::Sha3_512 => Box::new(Sha3_512::new()),
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

    /// Python's `hashlib.new(name, b"abc").hexdigest()` for every name.
    const ABC: [(&str, &str); 12] = [
        ("md5", "900150983cd24fb0d6963f7d28e17f72"),
        ("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("sha224", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
        ("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("sha384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        ("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        ("sha3_224", "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"),
        ("sha3_256", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
        ("sha3_384", "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25"),
        ("sha3_512", "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"),
        ("blake2b", "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"),
        ("blake2s", "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"),
    ];

    #[test]
    fn every_algorithm_agrees_with_python_hashlib() {
        let algs: Vec<Algorithm> = ABC
            .iter()
            .map(|(n, _)| Algorithm::from_name(n).unwrap())
            .collect();
        assert_eq!(algs, ALL);
        let (n, got) = hash_all(&mut &b"abc"[..], &algs).unwrap();
        assert_eq!(n, 3);
        for ((name, want), (alg, got)) in ABC.iter().zip(algs.iter().zip(&got)) {
            assert_eq!(got, want, "{name}");
            assert_eq!(got.len(), alg.hex_len(), "{name}");
        }
        assert_eq!(Algorithm::from_name("SHA256"), None);
        assert_eq!(Algorithm::from_name("sha-256"), None);
    }

    #[test]
    fn reads_across_buffer_boundaries() {
        let data = vec![7u8; 256 * 1024 * 2 + 5];
        let (n, got) = hash_all(&mut &data[..], &[Algorithm::Sha256]).unwrap();
        assert_eq!(n, data.len() as u64);
        let want: String = Sha256::digest(&data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got[0], want);
    }
}
