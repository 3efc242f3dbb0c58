//! What a bag check finds: stable codes, severities and the verdict they add up to.
//!
//! Every finding carries a stable code (`bagit.*`, documented in
//! `docs/CONFORMANCE.md`), the bag-relative file it concerns, the line when
//! there is one, and one line of explanation. Errors make a bag invalid,
//! files that fetch.txt promises but that are absent make it incomplete,
//! warnings (everything tolerated) leave it valid but are always shown.

use serde::Serialize;

/// How much a finding weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The bag is not valid.
    Error,
    /// The bag is not complete: a file listed in `fetch.txt` is absent.
    Incomplete,
    /// Tolerated: the bag stays valid, but the user is told.
    Warning,
}

/// One result of the check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `bagit.checksum.mismatch`.
    pub code: &'static str,
    /// How much it weighs.
    pub severity: Severity,
    /// The bag-relative file concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The 1-based line of that file, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// One-line explanation.
    pub message: String,
}

/// The verdict on a bag (RFC 8493 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Complete, and every checksum of every manifest verified.
    Valid,
    /// No error, but files listed in `fetch.txt` are absent (docseal never fetches).
    Incomplete,
    /// At least one error.
    Invalid,
}

impl Verdict {
    /// The process exit code: 0 valid, 1 otherwise (README's table).
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Valid => crate::error::exit::OK,
            Verdict::Incomplete | Verdict::Invalid => crate::error::exit::REJECTED,
        }
    }
}

/// The findings collected while checking, in the order found.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    fn push(&mut self, severity: Severity, code: &'static str, at: At, message: String) {
        self.0.push(Finding {
            code,
            severity,
            path: at.path,
            line: at.line,
            message,
        });
    }

    /// Records an error.
    pub fn error(&mut self, code: &'static str, at: At, message: impl Into<String>) {
        self.push(Severity::Error, code, at, message.into());
    }

    /// Records a tolerated deviation.
    pub fn warn(&mut self, code: &'static str, at: At, message: impl Into<String>) {
        self.push(Severity::Warning, code, at, message.into());
    }

    /// Records a file the bag still has to fetch.
    pub fn incomplete(&mut self, code: &'static str, at: At, message: impl Into<String>) {
        self.push(Severity::Incomplete, code, at, message.into());
    }

    /// Counts the findings of one severity.
    pub fn count(&self, s: Severity) -> usize {
        self.0.iter().filter(|f| f.severity == s).count()
    }

    /// The verdict these findings add up to.
    pub fn verdict(&self) -> Verdict {
        if self.count(Severity::Error) > 0 {
            Verdict::Invalid
        } else if self.count(Severity::Incomplete) > 0 {
            Verdict::Incomplete
        } else {
            Verdict::Valid
        }
    }
}

/// Where a finding is: a file and maybe a line, or the bag as a whole.
#[derive(Clone, Debug, Default)]
pub struct At {
    path: Option<String>,
    line: Option<usize>,
}

impl At {
    /// The bag as a whole.
    pub fn bag() -> At {
        At::default()
    }

    /// A file of the bag.
    pub fn file(path: &str) -> At {
        At {
            path: Some(path.to_owned()),
            line: None,
        }
    }

    /// A line of a file of the bag.
    pub fn line(path: &str, line: usize) -> At {
        At {
            path: Some(path.to_owned()),
            line: Some(line),
        }
    }
}

/// A name as it may be shown on one line: control characters escaped.
pub fn shown(name: &str) -> String {
    if name.chars().any(char::is_control) {
        format!("{name:?}")
    } else {
        name.to_owned()
    }
}
