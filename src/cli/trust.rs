//! The keys a verifying command trusts: `-p FILE`, `-P BASE64` (as
//! minisign takes them) and `--keyring DIR`.
//!
//! Files named one by one must be good: a bad `-p` or `-P` stops the
//! command. In a keyring folder one unreadable or malformed `.pub` file is
//! skipped with a warning naming it, so that one stray file does not stop
//! every verify; the warnings are printed and returned for the report.

use std::path::{Path, PathBuf};

use clap::Args;
use docseal::error::{Error, Result};
use docseal::keys;
use docseal::report::{Finding, Severity};
use docseal::verify::{TrustedKey, VerifyOptions};

/// Trusted keys, shared by verify, list, extract and history.
#[derive(Args, Debug, Clone, Default)]
pub struct TrustArgs {
    /// A minisign public key file you trust (repeatable).
    #[arg(short = 'p', long = "public-key", value_name = "PATH")]
    pub public_keys: Vec<PathBuf>,
    /// A minisign public key you trust, given inline as its base64 line, as `minisign -P` takes it (repeatable).
    #[arg(short = 'P', long = "public-key-string", value_name = "BASE64")]
    pub inline_keys: Vec<String>,
    /// A folder of minisign .pub files you trust (e.g. keys/); bad files in it are skipped with a warning.
    #[arg(long, value_name = "DIR")]
    pub keyring: Option<PathBuf>,
    /// How many distinct trusted keys must have signed.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub threshold: u16,
    /// Accept a re-zipped bundle (zip -r, 7z, bsdtar, Finder's Compress, or without its
    /// top folder) whose content and signatures verify (the report says what it tolerated).
    #[arg(long)]
    pub allow_repacked: bool,
}

impl TrustArgs {
    /// Whether any trusted key was given.
    pub fn given(&self) -> bool {
        !self.public_keys.is_empty() || !self.inline_keys.is_empty() || self.keyring.is_some()
    }
}

/// Loads the trusted keys, printing warnings (skipped keyring files) and
/// notes (tolerances in key files) on stderr; the report carries them too
/// ([`VerifyOptions::input_findings`]).
pub fn load_trusted(t: &TrustArgs) -> Result<VerifyOptions> {
    load_trusted_with_warnings(t).map(|(opts, _)| opts)
}

/// Loads the trusted keys named by `-p`, `-P` and `--keyring`. Prints each
/// warning and note on stderr and returns them (one line each, naming the
/// file, without the `docseal: warning: ` prefix); the options carry them
/// as findings (`key.keyring-skipped`, `key.tolerated`) for the report.
pub fn load_trusted_with_warnings(t: &TrustArgs) -> Result<(VerifyOptions, Vec<String>)> {
    let mut trusted = Vec::new();
    let mut found = Vec::new();
    for p in &t.public_keys {
        let loaded = keys::load_public_key(p)?;
        note_all(p, &loaded.notes, &mut found);
        trusted.push(TrustedKey::from_file(
            loaded.value,
            &p.display().to_string(),
        ));
    }
    for b64 in &t.inline_keys {
        let key = keys::inline_public_key(b64)?;
        trusted.push(TrustedKey {
            name: format!("inline {}", key.key_id()),
            key,
            origin: format!("-P {b64}"),
        });
    }
    if let Some(dir) = &t.keyring {
        load_keyring(dir, &mut trusted, &mut found)?;
    }
    let warnings = found.iter().map(|f| f.message.clone()).collect();
    let opts = VerifyOptions {
        trusted,
        threshold: usize::from(t.threshold),
        allow_repacked: t.allow_repacked,
        limits: docseal::container::Limits::default(),
        not_older_than: None,
        same_signers: false,
        timestamps: Default::default(),
        input_findings: found,
    };
    Ok((opts, warnings))
}

/// Adds every good `.pub` file of `dir`, in name order; a file that cannot
/// be read or parsed is skipped with a warning. A keyring with no usable
/// key at all is an error: verifying against nothing is never meant.
fn load_keyring(dir: &Path, trusted: &mut Vec<TrustedKey>, found: &mut Vec<Finding>) -> Result<()> {
    let mut ring = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, "list the keyring", e))? {
        match entry {
            Ok(e) => ring.push(e.path()),
            Err(e) => skipped(
                found,
                dir,
                format!(
                    "{}: skipped an entry that cannot be listed: {e}",
                    dir.display()
                ),
            ),
        }
    }
    ring.retain(|p| p.extension().is_some_and(|x| x == "pub"));
    ring.sort();
    if ring.is_empty() {
        return Err(Error::input(dir, "keyring holds no .pub files"));
    }
    let before = trusted.len();
    for p in &ring {
        match keys::load_public_key(p) {
            Ok(loaded) => {
                note_all(p, &loaded.notes, found);
                trusted.push(TrustedKey::from_file(
                    loaded.value,
                    &p.display().to_string(),
                ));
            }
            Err(e) => skipped(found, p, format!("skipped: {e}")),
        }
    }
    if trusted.len() == before {
        return Err(Error::input(
            dir,
            format!(
                "keyring holds no usable public key ({} skipped)",
                ring.len()
            ),
        ));
    }
    Ok(())
}

/// Prints and keeps the warning that a keyring file was skipped.
fn skipped(found: &mut Vec<Finding>, path: &Path, w: String) {
    eprintln!("docseal: warning: {}", docseal::report::escape(&w));
    found.push(Finding::new(
        Severity::Warning,
        "key.keyring-skipped",
        Some(path.display().to_string()),
        w,
    ));
}

/// Prints and keeps the tolerances of a key file.
fn note_all(path: &Path, notes: &[String], found: &mut Vec<Finding>) {
    super::keyfiles::print_notes(path, notes);
    found.extend(notes.iter().map(|n| {
        Finding::new(
            Severity::Info,
            "key.tolerated",
            Some(path.display().to_string()),
            n.clone(),
        )
    }));
}
