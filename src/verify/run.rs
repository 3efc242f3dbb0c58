//! What one verification has found so far, and which checks ran.
//!
//! Invariant: a check's state is derived, never claimed. It is `failed`
//! when its area has an error finding (or the check said so), `passed` only
//! when the check marked itself as run to completion and found nothing, and
//! otherwise `not run`, with the reason the check gave or, by default, that
//! an earlier check failed.

use std::collections::BTreeMap;

use crate::bundle::ContainerKind;
use crate::report::{
    area_of, CheckState, CitationReport, FileReport, Finding, Severity, SignatureReport,
};

use super::VerifyOptions;

/// What a check said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Ran to completion.
    Ran,
    /// Did not run, for this reason.
    Skipped(String),
    /// Ran and failed, for this reason (when no error finding says it).
    Failed(String),
}

/// The state of a verification in progress.
pub struct Run<'a> {
    /// The options.
    pub opts: &'a VerifyOptions,
    /// How the container was read, once it was.
    pub container: Option<ContainerKind>,
    /// Everything observed.
    pub findings: Vec<Finding>,
    /// Every signature seen.
    pub signatures: Vec<SignatureReport>,
    /// Every payload file, once the payload check ran.
    pub files: Vec<FileReport>,
    /// Every citation checked.
    pub citations: Vec<CitationReport>,
    marks: BTreeMap<&'static str, Mark>,
}

impl<'a> Run<'a> {
    /// A run with nothing found yet.
    pub fn new(opts: &'a VerifyOptions) -> Run<'a> {
        Run {
            opts,
            container: None,
            findings: opts.input_findings.clone(),
            signatures: Vec::new(),
            files: Vec::new(),
            citations: Vec::new(),
            marks: BTreeMap::new(),
        }
    }

    /// Records a finding.
    pub fn push(
        &mut self,
        sev: Severity,
        code: &str,
        path: Option<String>,
        msg: impl Into<String>,
    ) {
        self.findings.push(Finding::new(sev, code, path, msg));
    }

    /// Records an error finding.
    pub fn error(&mut self, code: &str, path: Option<String>, msg: impl Into<String>) {
        self.push(Severity::Error, code, path, msg);
    }

    /// Records a warning.
    pub fn warn(&mut self, code: &str, path: Option<String>, msg: impl Into<String>) {
        self.push(Severity::Warning, code, path, msg);
    }

    /// `area`'s check ran to completion.
    pub fn ran(&mut self, area: &'static str) {
        self.marks.entry(area).or_insert(Mark::Ran);
    }

    /// `area`'s check did not run, because `why`.
    pub fn skip(&mut self, area: &'static str, why: impl Into<String>) {
        self.marks.insert(area, Mark::Skipped(why.into()));
    }

    /// `area`'s check ran and failed, because `why`.
    pub fn fail(&mut self, area: &'static str, why: impl Into<String>) {
        self.marks.insert(area, Mark::Failed(why.into()));
    }

    /// Whether `area` has an error finding.
    pub fn has_errors_in(&self, area: &str) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Error && area_of(&f.code) == Some(area))
    }

    /// The state of `area`'s check, and its reason when it did not pass.
    pub fn state(&self, area: &str) -> (CheckState, Option<String>) {
        match self.marks.get(area) {
            Some(Mark::Failed(why)) => (CheckState::Failed, Some(why.clone())),
            _ if self.has_errors_in(area) => (CheckState::Failed, None),
            Some(Mark::Ran) => (CheckState::Passed, None),
            Some(Mark::Skipped(why)) => (CheckState::NotRun, Some(why.clone())),
            None => (
                CheckState::NotRun,
                Some("an earlier check failed".to_owned()),
            ),
        }
    }
}

/// The container's code for a read error (e.g. `zip.crc-mismatch`), else `default`.
pub fn read_code(e: &std::io::Error, default: &'static str) -> &'static str {
    crate::container::Error::from_io(e).map_or(default, crate::container::Error::code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_check_that_ran_and_found_nothing_passes() {
        let opts = VerifyOptions::default();
        let mut r = Run::new(&opts);
        assert_eq!(r.state("bag").0, CheckState::NotRun);
        r.ran("bag");
        assert_eq!(r.state("bag"), (CheckState::Passed, None));
        r.error("bag.bad-name", None, "x");
        assert_eq!(r.state("bag").0, CheckState::Failed);
        r.warn("payload.something", None, "a warning fails nothing");
        r.ran("payload");
        assert_eq!(r.state("payload").0, CheckState::Passed);
        r.skip("citations", "no citations");
        assert_eq!(
            r.state("citations"),
            (CheckState::NotRun, Some("no citations".into()))
        );
        r.fail("signatures", "0 of 1");
        assert_eq!(r.state("signatures").0, CheckState::Failed);
        // An error found by a check that then could not finish still fails it.
        r.error("zip.bad", None, "x");
        assert_eq!(r.state("container").0, CheckState::Failed);
    }
}
