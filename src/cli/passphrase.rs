//! Where passphrases come from: `DOCSEAL_PASSPHRASE` for automation, else a
//! terminal prompt. Never from an argument (it would show in `ps`), never logged.

use std::io::IsTerminal;
use std::path::Path;

use docseal::error::{Error, Result};
use docseal::keys::TryEmpty;
use zeroize::Zeroizing;

/// The environment variable holding a passphrase for automation.
pub const ENV: &str = "DOCSEAL_PASSPHRASE";

/// A passphrase to unlock the key at `key`.
pub fn unlock(key: &Path) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(p) = from_env() {
        return Ok(p);
    }
    ask(key, &format!("Passphrase for {}: ", key.display()))
}

/// A new passphrase for the key at `key`, asked twice on a terminal.
pub fn new(key: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let p = match from_env() {
        Some(p) => p,
        None => {
            let first = ask(key, "New passphrase: ")?;
            let second = ask(key, "Passphrase again: ")?;
            if first != second {
                return Err(Error::Passphrase {
                    path: key.to_path_buf(),
                    problem: "the two passphrases differ".into(),
                });
            }
            first
        }
    };
    if p.is_empty() {
        return Err(Error::Passphrase {
            path: key.to_path_buf(),
            problem: "empty passphrase; use --no-passphrase for an unencrypted key".into(),
        });
    }
    Ok(p)
}

/// When to try the empty passphrase before asking for one (keys made by
/// `rsign generate` with an empty password): never when
/// `DOCSEAL_PASSPHRASE` is set; when cheap if a terminal could be asked
/// (where an empty answer works too); always if nothing could be asked.
pub fn try_empty() -> TryEmpty {
    if std::env::var_os(ENV).is_some() {
        TryEmpty::Never
    } else if std::io::stdin().is_terminal() || std::io::stderr().is_terminal() {
        TryEmpty::IfCheap
    } else {
        TryEmpty::Always
    }
}

fn from_env() -> Option<Zeroizing<Vec<u8>>> {
    std::env::var_os(ENV).map(|v| Zeroizing::new(v.into_encoded_bytes()))
}

fn ask(key: &Path, prompt: &str) -> Result<Zeroizing<Vec<u8>>> {
    if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
        return Err(Error::Passphrase {
            path: key.to_path_buf(),
            problem: format!("a passphrase is needed but there is no terminal; set {ENV}"),
        });
    }
    rpassword::prompt_password(prompt)
        .map(|s| Zeroizing::new(s.into_bytes()))
        .map_err(|e| Error::Passphrase {
            path: key.to_path_buf(),
            problem: format!("cannot read the passphrase: {e}"),
        })
}
