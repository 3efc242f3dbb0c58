//! The key derivation minisign uses to encrypt secret keys: libsodium's
//! `crypto_pwhash_scryptsalsa208sha256`, which maps a cost given as
//! (opslimit, memlimit) to scrypt's (log2 N, r, p) with its `pickparams`
//! function (libsodium `crypto_pwhash/scryptsalsa208sha256/
//! pwhash_scryptsalsa208sha256.c`), then runs plain scrypt.
//!
//! Invariant: nothing is allocated for parameters beyond [`MAX_OPSLIMIT`]
//! and [`MAX_MEMLIMIT`]; a secret key file can ask for any cost, and the
//! scrypt crate would abort the process on an impossible allocation.

use zeroize::Zeroizing;

use super::Error;

/// The largest opslimit accepted: 32 times minisign's default.
pub const MAX_OPSLIMIT: u64 = 1 << 30;
/// The largest memlimit accepted, and the most memory scrypt may use: 2 GiB,
/// twice minisign's default.
pub const MAX_MEMLIMIT: u64 = 2 << 30;

/// The most memory scrypt may really allocate (its table V plus its
/// per-lane buffer B): small memlimits with large opslimits make B big.
const MAX_SCRYPT_MEMORY: u128 = 3 << 30;

/// Bytes derived: they are XORed over key id ‖ secret key ‖ checksum.
pub(super) const STREAM_LEN: usize = 104;

/// The scrypt cost of an encrypted secret key, in libsodium's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KdfParams {
    /// libsodium's opslimit (roughly the number of salsa20/8 cores).
    pub opslimit: u64,
    /// libsodium's memlimit in bytes.
    pub memlimit: u64,
}

impl Default for KdfParams {
    /// minisign's cost: libsodium's `OPSLIMIT_SENSITIVE` and
    /// `MEMLIMIT_SENSITIVE` (scrypt N = 2^20, r = 8, p = 1; 1 GiB).
    fn default() -> KdfParams {
        KdfParams {
            opslimit: 33_554_432,
            memlimit: 1_073_741_824,
        }
    }
}

/// scrypt's own parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Scrypt {
    pub log_n: u32,
    pub r: u32,
    pub p: u32,
}

impl KdfParams {
    /// The scrypt parameters minisign derives from this cost, refusing
    /// costs beyond [`MAX_OPSLIMIT`] or [`MAX_MEMLIMIT`] (the memory scrypt
    /// would really use is checked too, against 3 GiB: a tiny memlimit with
    /// a large opslimit makes p, and scrypt's buffer B, huge).
    pub(super) fn scrypt(self) -> Result<Scrypt, Error> {
        let out_of_range = Error::KdfOutOfRange {
            opslimit: self.opslimit,
            memlimit: self.memlimit,
        };
        if self.opslimit > MAX_OPSLIMIT || self.memlimit > MAX_MEMLIMIT {
            return Err(out_of_range);
        }
        let s = pick_params(self.opslimit, self.memlimit);
        // scrypt allocates 128·r·N bytes for V and 128·r·p for B.
        let n = 1u128 << s.log_n;
        let memory = 128 * u128::from(s.r) * (n + u128::from(s.p));
        if memory > MAX_SCRYPT_MEMORY {
            return Err(out_of_range);
        }
        Ok(s)
    }
}

/// libsodium's `pickparams`, line for line (r is fixed at 8).
fn pick_params(opslimit: u64, memlimit: u64) -> Scrypt {
    let opslimit = opslimit.max(32768);
    let r: u64 = 8;
    if opslimit < memlimit / 32 {
        let log_n = smallest_log_n(opslimit / (r * 4));
        return Scrypt { log_n, r: 8, p: 1 };
    }
    let log_n = smallest_log_n(memlimit / (r * 128));
    let maxrp = ((opslimit / 4) >> log_n).min(0x3fff_ffff);
    // maxrp < 2^30, so the quotient fits in u32.
    let p = u32::try_from(maxrp / r).unwrap_or(u32::MAX);
    Scrypt { log_n, r: 8, p }
}

/// The first log2 N in 1..63 with 2^log2 N > max_n / 2 (63 if none).
fn smallest_log_n(max_n: u64) -> u32 {
    let mut log_n = 1;
    while log_n < 63 && (1u64 << log_n) <= max_n / 2 {
        log_n += 1;
    }
    log_n
}

/// Derives the 104-byte key stream minisign XORs over the secret part.
pub(super) fn derive_stream(
    passphrase: &[u8],
    salt: &[u8; 32],
    kdf: KdfParams,
) -> Result<Zeroizing<[u8; STREAM_LEN]>, Error> {
    let s = kdf.scrypt()?;
    let log_n = u8::try_from(s.log_n).map_err(|_| Error::Kdf)?;
    // The crate's `len` only matters for its password-hash format; the
    // output length is the buffer's.
    let params = scrypt::Params::new(log_n, s.r, s.p, 32).map_err(|_| Error::Kdf)?;
    let mut out = Zeroizing::new([0u8; STREAM_LEN]);
    scrypt::scrypt(passphrase, salt, &params, &mut out[..]).map_err(|_| Error::Kdf)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(log_n: u32, r: u32, p: u32) -> Scrypt {
        Scrypt { log_n, r, p }
    }

    #[test]
    fn pick_params_matches_libsodium() {
        // (opslimit, memlimit) → what libsodium's pickparams computes.
        let cases = [
            // minisign's default: OPSLIMIT/MEMLIMIT_SENSITIVE.
            ((33_554_432, 1_073_741_824), sc(20, 8, 1)),
            // libsodium's INTERACTIVE: N = 2^14.
            ((524_288, 16_777_216), sc(14, 8, 1)),
            // minisign's fallback after halving once on low memory.
            ((16_777_216, 536_870_912), sc(19, 8, 1)),
            // The cheap test cost: opslimit bound.
            ((32_768, 16_777_216), sc(10, 8, 1)),
            // opslimit below the minimum is raised to 32768.
            ((1, 16_777_216), sc(10, 8, 1)),
            // No memory: N = 2 and the work goes into p.
            ((32_768, 0), sc(1, 8, 512)),
            // An unencrypted key's zeros.
            ((0, 0), sc(1, 8, 512)),
        ];
        for ((opslimit, memlimit), want) in cases {
            assert_eq!(
                pick_params(opslimit, memlimit),
                want,
                "{opslimit} {memlimit}"
            );
        }
    }

    #[test]
    fn absurd_costs_are_refused_before_allocating() {
        for (opslimit, memlimit) in [
            (MAX_OPSLIMIT + 1, 1 << 20),
            (1 << 20, MAX_MEMLIMIT + 1),
            (u64::MAX, u64::MAX),
            // Within both limits, but p = 2^24 would need 16 GiB for B.
            (MAX_OPSLIMIT, 0),
        ] {
            let k = KdfParams { opslimit, memlimit };
            assert_eq!(k.scrypt(), Err(Error::KdfOutOfRange { opslimit, memlimit }));
            assert_eq!(
                derive_stream(b"pw", &[0; 32], k).map(|_| ()),
                Err(Error::KdfOutOfRange { opslimit, memlimit })
            );
        }
        let top = KdfParams {
            opslimit: MAX_OPSLIMIT,
            memlimit: MAX_MEMLIMIT,
        };
        assert_eq!(top.scrypt(), Ok(sc(21, 8, 16)));
    }

    #[test]
    fn derivation_depends_on_every_input() {
        let k = KdfParams {
            opslimit: 32_768,
            memlimit: 16_777_216,
        };
        let a = derive_stream(b"pw", &[1; 32], k).unwrap();
        assert_eq!(*a, *derive_stream(b"pw", &[1; 32], k).unwrap());
        assert_ne!(*a, *derive_stream(b"pX", &[1; 32], k).unwrap());
        assert_ne!(*a, *derive_stream(b"pw", &[2; 32], k).unwrap());
        let k2 = KdfParams {
            opslimit: 65_536,
            memlimit: 16_777_216,
        };
        assert_ne!(*a, *derive_stream(b"pw", &[1; 32], k2).unwrap());
    }
}
