//! The library's error type and the exit-code contract.
//!
//! An [`Error`] means "could not produce a result": a file could not be
//! read or written, a key or description is malformed, an overwrite was
//! refused. A bundle that fails verification is *not* an error: it is a
//! [`crate::report::Report`] whose verdict is not valid. Each error renders
//! as one line that names the file and the problem and never contains
//! secret material; [`Error::hint`] may add a second line.

use std::io;
use std::path::{Path, PathBuf};

/// Process exit codes, documented in the README and in `--help`.
pub mod exit {
    /// Success: the command did what was asked; a verified bundle is valid.
    pub const OK: i32 = 0;
    /// The bundle was rejected: it is damaged, altered or malformed.
    pub const REJECTED: i32 = 1;
    /// The command line could not be understood.
    pub const USAGE: i32 = 2;
    /// The bundle is intact but not signed by enough keys the user trusts.
    pub const UNTRUSTED: i32 = 3;
    /// Bad input other than the bundle: key, signature, description, passphrase, folder to pack.
    pub const BAD_INPUT: i32 = 4;
    /// Reading or writing a file failed.
    pub const IO: i32 = 5;
    /// An output exists and `--force` was not given.
    pub const EXISTS: i32 = 6;
    /// Stopped by SIGINT (Ctrl-C), 128 + 2; temporary files were removed.
    pub const SIGINT: i32 = 130;
    /// Stopped by SIGTERM, 128 + 15; temporary files were removed.
    pub const SIGTERM: i32 = 143;
}

/// Everything that can stop a docseal command from producing a result.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An operating-system error while working on `path`.
    #[error("{}: cannot {op}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What was being done ("read", "create", "rename into place", ...).
        op: &'static str,
        /// The underlying error.
        source: io::Error,
    },
    /// A key file (public or secret) is malformed or does not fit.
    #[error("{}: {problem}", path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The passphrase does not unlock the secret key.
    #[error("{}: wrong passphrase (or the secret key file is corrupted)", path.display())]
    WrongPassphrase {
        /// The secret key file.
        path: PathBuf,
    },
    /// No passphrase could be obtained for an encrypted key or a new key.
    #[error("{}: {problem}", path.display())]
    Passphrase {
        /// The key file concerned.
        path: PathBuf,
        /// Why no passphrase could be had.
        problem: String,
    },
    /// A signature file given on the command line is malformed or does not fit.
    #[error("{}: {problem}", path.display())]
    Signature {
        /// The signature file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The folder to pack, or its description file, cannot be packed.
    #[error("{}: {problem}", path.display())]
    Input {
        /// The file or folder concerned.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A bundle could not be read at all (for `list`, `sign`, `history`).
    #[error("{}: {problem}", path.display())]
    Bundle {
        /// The bundle.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The output exists and overwriting was not allowed.
    #[error("{}: already exists; not overwriting it", path.display())]
    Exists {
        /// The output that exists.
        path: PathBuf,
    },
    /// The output exists and is not something docseal replaces, even with
    /// `--force` (a folder that is not an extracted bundle).
    #[error("{}: already exists and is not an extracted bundle; not replacing it, even with --force", path.display())]
    ExistsKept {
        /// The output that exists.
        path: PathBuf,
    },
    /// A path given as a bundle that cannot be one (a URL, a pipe, a device).
    #[error("{}: {problem}", path.display())]
    NotABundlePath {
        /// The path as given.
        path: PathBuf,
        /// What it is instead.
        problem: String,
        /// What to do.
        hint: &'static str,
    },
    /// Options that do not fit together, found after parsing.
    #[error("{0}")]
    Usage(String),
    /// Several problems found in one run (never empty; each is one line).
    /// Displayed as the first, with a count of the others; the binary
    /// prints every one.
    #[error("{}{}", .0.first().map(ToString::to_string).unwrap_or_default(), more(.0.len()))]
    Several(Vec<Error>),
}

/// ` (and N more problems)`, or nothing for one.
fn more(n: usize) -> String {
    match n {
        0 | 1 => String::new(),
        2 => " (and 1 more problem)".into(),
        n => format!(" (and {} more problems)", n - 1),
    }
}

impl Error {
    /// The documented process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Io { .. } => exit::IO,
            Error::Exists { .. } | Error::ExistsKept { .. } => exit::EXISTS,
            Error::Usage(_) | Error::NotABundlePath { .. } => exit::USAGE,
            Error::Bundle { .. } => exit::REJECTED,
            Error::Several(all) => all.first().map_or(exit::BAD_INPUT, Error::exit_code),
            Error::Key { .. }
            | Error::WrongPassphrase { .. }
            | Error::Passphrase { .. }
            | Error::Signature { .. }
            | Error::Input { .. } => exit::BAD_INPUT,
        }
    }

    /// An optional second line telling the user what to do.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Exists { .. } => Some("use --force to replace it"),
            Error::ExistsKept { .. } => {
                Some("choose another --output, or empty or remove that folder yourself")
            }
            Error::WrongPassphrase { .. } => {
                Some("the passphrase comes from DOCSEAL_PASSPHRASE or the terminal prompt")
            }
            Error::NotABundlePath { hint, .. } => Some(hint),
            Error::Io { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                Some("no such file or folder: check the path")
            }
            Error::Io { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                Some("you may not read it: check its permissions")
            }
            _ => None,
        }
    }

    /// One error for a list of them: the error itself when there is one,
    /// [`Error::Several`] otherwise.
    pub fn all(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.swap_remove(0)
        } else {
            Error::Several(errors)
        }
    }

    /// Each single problem: the list of an [`Error::Several`], else itself.
    pub fn each(&self) -> &[Error] {
        match self {
            Error::Several(all) => all,
            one => std::slice::from_ref(one),
        }
    }

    /// Shorthand for an [`Error::Io`].
    pub fn io(path: &Path, op: &'static str, source: io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            op,
            source,
        }
    }

    /// Shorthand for an [`Error::Input`].
    pub fn input(path: &Path, problem: impl Into<String>) -> Error {
        Error::Input {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_problems_show_the_first_and_count_the_rest() {
        let one = || Error::input(Path::new("a"), "bad");
        assert!(matches!(Error::all(vec![one()]), Error::Input { .. }));
        let two = Error::all(vec![one(), Error::Exists { path: "b".into() }]);
        assert_eq!(two.to_string(), "a: bad (and 1 more problem)");
        assert_eq!(two.exit_code(), exit::BAD_INPUT, "the first problem's code");
        assert_eq!(two.each().len(), 2);
        let three = Error::all(vec![one(), one(), one()]);
        assert_eq!(three.to_string(), "a: bad (and 2 more problems)");
        assert_eq!(
            Error::ExistsKept { path: "c".into() }.exit_code(),
            exit::EXISTS
        );
    }
}
