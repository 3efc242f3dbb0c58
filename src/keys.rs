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

/// Reads a small file (a key, a signature, a certificate) whole, naming the file in every error.
pub fn read_small_bytes(path: &Path) -> Result<Vec<u8>> {
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

/// Reads a small text file (a key or a signature), naming the file in every error.
pub fn read_small_text(path: &Path) -> Result<String> {
    let buf = read_small_bytes(path)?;
    String::from_utf8(buf).map_err(|_| Error::Key {
        path: path.to_path_buf(),
        problem: "not UTF-8 text; not a key file".into(),
    })
}

/// Reads a minisign public key file.
pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    let text = read_small_text(path)?;
    PublicKey::parse(&text).map_err(|e| Error::Key {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })
}

/// Reads a minisign secret key file and unlocks it, calling `passphrase`
/// only when the key is encrypted.
pub fn read_secret_key(
    path: &Path,
    passphrase: &mut dyn FnMut() -> Result<Zeroizing<Vec<u8>>>,
) -> Result<SecretKey> {
    let text = Zeroizing::new(read_small_text(path)?);
    let file = SecretKeyFile::parse(&text).map_err(|e| Error::Key {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })?;
    let pass = if file.is_encrypted() {
        Some(passphrase()?)
    } else {
        None
    };
    file.unlock(pass.as_ref().map(|p| p.as_slice()))
        .map_err(|e| match e {
            minisign::Error::WrongPassphrase => Error::WrongPassphrase {
                path: path.to_path_buf(),
            },
            other => Error::Key {
                path: path.to_path_buf(),
                problem: other.to_string(),
            },
        })
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
