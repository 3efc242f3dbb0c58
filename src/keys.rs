//! Reading and writing key files on disk, around the pure [`crate::minisign`] formats.
//!
//! The library never prompts: whoever needs a passphrase passes a callback
//! that is only called when a key really is encrypted. Key files are small;
//! anything larger than [`MAX_KEY_FILE`] is refused before it is parsed.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::minisign::{self, KdfParams, PublicKey, SecretKey, SecretKeyFile};
use crate::output::{self, Overwrite};

/// The largest key or signature file docseal reads.
pub const MAX_KEY_FILE: u64 = 64 * 1024;

/// Reads a small file (a key or a signature), naming the file in every error.
pub fn read_small_file(path: &Path) -> Result<Vec<u8>> {
    let file = File::open(path).map_err(|e| Error::io(path, "open", e))?;
    let mut buf = Vec::new();
    file.take(MAX_KEY_FILE + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, "read", e))?;
    if buf.len() as u64 > MAX_KEY_FILE {
        return Err(Error::Key {
            path: path.to_path_buf(),
            problem: format!("larger than {MAX_KEY_FILE} bytes; not a key file"),
        });
    }
    Ok(buf)
}

/// Reads a small file that must be UTF-8 text, naming the file in every error.
pub fn read_small_text(path: &Path) -> Result<String> {
    String::from_utf8(read_small_file(path)?).map_err(|_| Error::Key {
        path: path.to_path_buf(),
        problem: "not UTF-8 text; not a key file".into(),
    })
}

/// A key or signature read from a file, with what was tolerated in it
/// (each note one phrase, e.g. "CRLF line endings read as LF").
#[derive(Debug)]
pub struct Loaded<T> {
    /// What was read.
    pub value: T,
    /// The departures from minisign's canonical file that were accepted.
    pub notes: Vec<String>,
}

/// Reads a minisign public key file as stock minisign reads it.
pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    load_public_key(path).map(|l| l.value)
}

/// Reads a minisign public key file as stock minisign reads it, with the
/// tolerances taken ([`minisign::Tolerance`]).
pub fn load_public_key(path: &Path) -> Result<Loaded<PublicKey>> {
    let bytes = read_small_file(path)?;
    let (value, tolerated) = PublicKey::parse_file(&bytes).map_err(|e| key_error(path, e))?;
    Ok(Loaded {
        value,
        notes: tolerated.iter().map(ToString::to_string).collect(),
    })
}

/// Parses a public key given inline (`-P`), as `minisign -P` takes it: the
/// base64 line alone.
pub fn inline_public_key(b64: &str) -> Result<PublicKey> {
    PublicKey::from_base64(b64).map_err(|e| Error::Key {
        path: format!("-P {b64}").into(),
        problem: format!("not a minisign public key: {e} (give a key file with -p)"),
    })
}

/// Reads a minisign signature file (as `sign --minisig` takes it) as stock
/// minisign reads it, with the tolerances taken.
pub fn load_signature(path: &Path) -> Result<Loaded<minisign::Signature>> {
    let bytes = read_small_file(path)?;
    let (value, tolerated) =
        minisign::Signature::parse_file(&bytes).map_err(|e| Error::Signature {
            path: path.to_path_buf(),
            problem: e.to_string(),
        })?;
    Ok(Loaded {
        value,
        notes: tolerated.iter().map(ToString::to_string).collect(),
    })
}

/// When to try the empty passphrase on an encrypted key before asking for
/// one: `rsign generate` (and `rsign generate -W`) encrypts with an empty
/// passphrase, and such a key should work with nothing set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryEmpty {
    /// Never (a passphrase was given).
    Never,
    /// Only when it costs little: scrypt memory at most [`CHEAP_MEMLIMIT`]
    /// (rsign's cost is 32 MiB; minisign's is 1 GiB, seconds of work).
    IfCheap,
    /// Always (there is no other way to get a passphrase).
    Always,
}

/// The scrypt memory limit up to which [`TryEmpty::IfCheap`] tries the empty passphrase.
pub const CHEAP_MEMLIMIT: u64 = 64 << 20;

/// Reads a minisign secret key file and unlocks it, calling `passphrase`
/// only when the key is encrypted.
pub fn read_secret_key(
    path: &Path,
    passphrase: &mut dyn FnMut() -> Result<Zeroizing<Vec<u8>>>,
) -> Result<SecretKey> {
    load_secret_key(path, TryEmpty::Never, passphrase).map(|l| l.value)
}

/// Reads a secret key file as stock minisign reads it and unlocks it: first
/// with the empty passphrase when `try_empty` says so (noting it when that
/// works), else with what `passphrase` gives, called only when needed.
pub fn load_secret_key(
    path: &Path,
    try_empty: TryEmpty,
    passphrase: &mut dyn FnMut() -> Result<Zeroizing<Vec<u8>>>,
) -> Result<Loaded<SecretKey>> {
    let bytes = Zeroizing::new(read_small_file(path)?);
    let (file, tolerated) = SecretKeyFile::parse_file(&bytes).map_err(|e| key_error(path, e))?;
    let mut notes: Vec<String> = tolerated.iter().map(ToString::to_string).collect();
    let unlock_error = |e| match e {
        minisign::Error::WrongPassphrase => Error::WrongPassphrase {
            path: path.to_path_buf(),
        },
        other => key_error(path, other),
    };
    if let Some(kdf) = file.kdf_params() {
        let cheap = kdf.memlimit <= CHEAP_MEMLIMIT;
        if try_empty == TryEmpty::Always || (try_empty == TryEmpty::IfCheap && cheap) {
            match file.unlock(Some(b"")) {
                Ok(value) => {
                    notes.push("encrypted with an empty passphrase".into());
                    return Ok(Loaded { value, notes });
                }
                Err(minisign::Error::WrongPassphrase) => {}
                Err(e) => return Err(unlock_error(e)),
            }
        }
    }
    let pass = if file.is_encrypted() {
        Some(passphrase()?)
    } else {
        None
    };
    let value = file
        .unlock(pass.as_ref().map(|p| p.as_slice()))
        .map_err(unlock_error)?;
    Ok(Loaded { value, notes })
}

/// A key file error naming the file.
fn key_error(path: &Path, e: minisign::Error) -> Error {
    Error::Key {
        path: path.to_path_buf(),
        problem: e.to_string(),
    }
}

/// Creates a new key pair and writes both files (the secret one 0600),
/// refusing to replace existing files unless `overwrite` allows it. Both
/// destinations are checked before either is written. `comment`, when
/// given, replaces minisign's default untrusted comment line in both files
/// (it is not signed; it only helps people tell keys apart).
pub fn generate(
    secret_path: &Path,
    public_path: &Path,
    passphrase: Option<&[u8]>,
    kdf: KdfParams,
    overwrite: Overwrite,
    comment: Option<&str>,
) -> Result<PublicKey> {
    if let Some(c) = comment {
        check_key_comment(c).map_err(|problem| Error::Usage(format!("--comment: {problem}")))?;
    }
    if secret_path == public_path {
        return Err(Error::Usage(
            "the secret and public key paths must differ".into(),
        ));
    }
    output::check_destination(secret_path, overwrite)?;
    output::check_destination(public_path, overwrite)?;
    let key = SecretKey::generate().map_err(|e| Error::Key {
        path: secret_path.to_path_buf(),
        problem: e.to_string(),
    })?;
    let secret_text =
        Zeroizing::new(key.to_file_text(passphrase, kdf).map_err(|e| Error::Key {
            path: secret_path.to_path_buf(),
            problem: e.to_string(),
        })?);
    let public = key.public_key();
    let public_text = public.to_file_text();
    let (secret_text, public_text) = match comment {
        Some(c) => (
            Zeroizing::new(with_comment(&secret_text, c)),
            with_comment(&public_text, c),
        ),
        None => (secret_text, public_text),
    };
    output::write_file(secret_path, secret_text.as_bytes(), overwrite, true)?;
    output::write_file(public_path, public_text.as_bytes(), overwrite, false)?;
    Ok(public)
}

/// A key file's text with its first (untrusted comment) line replaced.
fn with_comment(text: &str, comment: &str) -> String {
    let rest = text.split_once('\n').map_or("", |(_, r)| r);
    format!("{}{comment}\n{rest}", minisign::UNTRUSTED_PREFIX)
}

/// A key comment must be one printable line that minisign reads back.
fn check_key_comment(c: &str) -> std::result::Result<(), String> {
    if c.len() > minisign::MAX_UNTRUSTED_COMMENT {
        return Err(format!(
            "longer than {} bytes",
            minisign::MAX_UNTRUSTED_COMMENT
        ));
    }
    if c.chars().any(char::is_control) {
        return Err("contains a control character".into());
    }
    Ok(())
}
