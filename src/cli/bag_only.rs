//! `docseal verify --bag-only`: any BagIt bag, no signatures.

use std::path::Path;

use docseal::bagcheck::{self, render};
use docseal::error::{Error, Result};

/// Checks the bag at `path`, prints the report, returns the exit code
/// (0 valid, 1 invalid or incomplete).
pub fn run(path: &Path, json: bool, quiet: bool) -> Result<i32> {
    // A path that cannot even be looked at is an I/O error (exit 5), not a bad bag.
    std::fs::metadata(path).map_err(|e| Error::io(path, "open", e))?;
    let progress = super::progress::for_command(quiet, json);
    let report = bagcheck::check_path(path, &docseal::bundle::default_limits(), progress.as_ref());
    let text = if json {
        render::to_json(&report)
    } else if quiet {
        let full = render::to_text(&report);
        let line = full
            .lines()
            .find(|l| l.starts_with("verdict:"))
            .unwrap_or("verdict: ?");
        format!("{line}\n")
    } else {
        render::to_text(&report)
    };
    super::print_out(&text)?;
    Ok(report.verdict.exit_code())
}
