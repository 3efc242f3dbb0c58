//! Where keys are by default, and reading the user's key files with what
//! was tolerated in them said on stderr.
//!
//! Default locations (also in `--help` and the README): the secret key is
//! `$DOCSEAL_SECRET_KEY`, else `$DOCSEAL_HOME/docseal.key`, with
//! `DOCSEAL_HOME` defaulting to `~/.docseal` (`%USERPROFILE%\.docseal` on
//! Windows); `keygen` writes the public key beside it as `docseal.pub`.
//! Public keys to *trust* have no default: trust is always explicit.

use std::path::{Path, PathBuf};

use docseal::error::{Error, Result};
use docseal::keys::{self, Loaded};
use docseal::minisign::SecretKey;

/// The environment variable naming the secret key file.
pub const SECRET_ENV: &str = "DOCSEAL_SECRET_KEY";
/// The environment variable naming docseal's key folder.
pub const HOME_ENV: &str = "DOCSEAL_HOME";
/// The secret key's file name in the key folder.
const SECRET_NAME: &str = "docseal.key";

/// The user's home folder, from the platform's variable.
fn user_home() -> Option<PathBuf> {
    #[cfg(windows)]
    const VAR: &str = "USERPROFILE";
    #[cfg(not(windows))]
    const VAR: &str = "HOME";
    std::env::var_os(VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// docseal's key folder: `$DOCSEAL_HOME`, else `~/.docseal`.
pub fn docseal_home() -> Result<PathBuf> {
    if let Some(h) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(h));
    }
    user_home().map(|h| h.join(".docseal")).ok_or_else(|| {
        Error::Usage(format!(
            "no home folder known: set {HOME_ENV} or give --secret-key"
        ))
    })
}

/// The secret key to use: the one given, else `$DOCSEAL_SECRET_KEY`, else
/// the default in the key folder. (Not clap's `env`: a variable set in the
/// environment must not conflict with `sign --minisig`.)
pub fn secret_key_path(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(SECRET_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(docseal_home()?.join(SECRET_NAME))
}

/// The secret key path for `keygen` when none is given: as
/// [`secret_key_path`], creating the key folder (0700 on Unix) when the
/// default one does not exist yet.
pub fn default_secret_key_for_writing() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(SECRET_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let home = docseal_home()?;
    if !home.exists() {
        create_private_dir(&home)?;
    }
    Ok(home.join(SECRET_NAME))
}

/// Creates a folder only its owner can enter.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| Error::io(dir, "create the key folder", e))
}

/// The public key path beside a secret key: `.pub` for `.key`, else `.pub` appended.
pub fn public_beside(secret: &Path) -> PathBuf {
    if secret.extension().is_some_and(|x| x == "key") {
        secret.with_extension("pub")
    } else {
        let mut s = secret.as_os_str().to_owned();
        s.push(".pub");
        PathBuf::from(s)
    }
}

/// Prints each tolerance noted in a key or signature file on stderr.
pub fn print_notes(path: &Path, notes: &[String]) {
    for n in notes {
        eprintln!(
            "docseal: note: {}: {}",
            docseal::report::escape(&path.display().to_string()),
            n
        );
    }
}

/// Reads and unlocks the secret key at `path`: the passphrase from
/// `DOCSEAL_PASSPHRASE` or the terminal, the empty passphrase tried first
/// where [`super::passphrase::try_empty`] says so; tolerances printed.
pub fn load_secret_key(path: &Path) -> Result<SecretKey> {
    let Loaded { value, notes } =
        keys::load_secret_key(path, super::passphrase::try_empty(), &mut || {
            super::passphrase::unlock(path)
        })
        .map_err(|e| with_default_hint(path, e))?;
    print_notes(path, &notes);
    Ok(value)
}

/// A missing default key says where it was looked for and how to make one.
fn with_default_hint(path: &Path, e: Error) -> Error {
    match e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            Error::Key {
                path: path.to_path_buf(),
                problem: "no secret key here; make one with `docseal keygen`, or give --secret-key (or DOCSEAL_SECRET_KEY)".into(),
            }
        }
        other => other,
    }
}
