//! `docseal verify`.

use std::path::{Path, PathBuf};

use clap::Args;
use docseal::error::{Error, Result};
use docseal::pair::PairReport;
use docseal::progress::Progress;
use docseal::verify::{Reference, VerifyOptions};

/// Arguments of `verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The bundle: a zip, or a folder it was unpacked into.
    #[arg(value_name = "BUNDLE")]
    bundle: PathBuf,
    #[command(flatten)]
    trust: super::TrustArgs,
    #[command(flatten)]
    tsa: super::TsaTrustArgs,
    /// Print the report as one JSON document.
    #[arg(long)]
    json: bool,
    /// Fail if the bundle is older than this one, or of another lineage (rollback protection).
    #[arg(long, value_name = "OTHER.zip")]
    not_older_than: Option<PathBuf>,
    /// With --not-older-than: a version signed only by keys that signed no
    /// earlier version is rejected (without it, a warning).
    #[arg(long, requires = "not_older_than")]
    same_signers: bool,
    /// Print only the verdict line; no progress bar.
    #[arg(short = 'q', long, conflicts_with = "verbose")]
    quiet: bool,
    /// Show every file and every finding, and lines of any length.
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Check any BagIt bag (zip or folder) as RFC 8493 and bagit-python do; no signatures.
    #[arg(long, conflicts_with_all = ["public_keys", "keyring", "threshold", "allow_repacked", "not_older_than", "html", "base", "with"])]
    bag_only: bool,
    /// BUNDLE is an archivist's notes bundle (docseal annotate): verify it
    /// beside the author's bundle it is about, and both apart.
    #[arg(long, value_name = "BASE.zip", conflicts_with_all = ["not_older_than", "html", "with"])]
    base: Option<PathBuf>,
    /// Also verify this archivist's notes bundle on BUNDLE, and show both signers apart.
    #[arg(long, value_name = "NOTES.zip", conflicts_with_all = ["not_older_than", "html"])]
    with: Option<PathBuf>,
    /// Also write the report as a self-contained HTML file (to print or attach).
    #[arg(long, value_name = "REPORT.html")]
    html: Option<PathBuf>,
    /// With --html: replace an existing file.
    #[arg(short = 'f', long, requires = "html")]
    force: bool,
}

pub fn run(a: VerifyArgs) -> Result<i32> {
    if a.bag_only {
        return super::bag_only::run(&a.bundle, a.json, a.quiet);
    }
    let mut opts = super::load_trusted(&a.trust)?;
    opts.not_older_than = a.not_older_than.clone();
    opts.timestamps = super::load_tsa_trust(&a.tsa)?;
    opts.same_signers = a.same_signers;
    let overwrite = if a.force {
        docseal::output::Overwrite::Replace
    } else {
        docseal::output::Overwrite::Refuse
    };
    if let Some(html) = &a.html {
        // Refuse before the work, not after it.
        docseal::output::check_destination(html, overwrite)?;
    }
    let progress = super::progress::for_command(a.quiet, a.json);
    match (&a.base, &a.with) {
        (Some(base), _) => return pair(&a, base, &a.bundle, &opts, progress.as_ref()),
        (None, Some(notes)) => return pair(&a, &a.bundle, notes, &opts, progress.as_ref()),
        (None, None) => {}
    }
    let verified = docseal::verify::verify(&a.bundle, &opts, progress.as_ref())?;
    let r = &verified.report;
    if let Some(html) = &a.html {
        let page = docseal::render_html::verify_html(r);
        docseal::output::write_file(html, page.as_bytes(), overwrite, false)?;
    }
    if a.json {
        super::print_out(&r.to_json())?;
    } else if a.quiet {
        super::print_out(&docseal::render::verdict_line(r))?;
    } else {
        let detail = docseal::render::Detail { verbose: a.verbose };
        super::print_out(&docseal::render::verify_text(r, detail))?;
    }
    Ok(r.verdict.exit_code())
}

/// `--base` and `--with`: the author's bundle, then the notes beside it.
fn pair(
    a: &VerifyArgs,
    base: &Path,
    notes: &Path,
    opts: &VerifyOptions,
    progress: &dyn Progress,
) -> Result<i32> {
    let verified = docseal::verify::verify(base, opts, progress)?;
    if verified.manifest.as_ref().is_some_and(|m| m.base.is_some()) {
        return Err(Error::Usage(format!(
            "{}: is an archivist's notes bundle itself; the base is the author's bundle the notes are about",
            base.display()
        )));
    }
    let reference = Reference {
        path: base.display().to_string(),
        verified,
    };
    let on = docseal::verify::verify_beside(notes, Some(&reference), opts, progress)?;
    if on.manifest.as_ref().is_some_and(|m| m.base.is_none()) {
        return Err(Error::Usage(format!(
            "{}: is not an archivist's notes bundle (its docseal.json names no base); \
             docseal annotate makes one",
            notes.display()
        )));
    }
    let p = PairReport::new(reference.verified.report, on.report);
    if a.json {
        super::print_out(&p.to_json())?;
    } else if a.quiet {
        super::print_out(&p.verdict_line())?;
    } else {
        let detail = docseal::render::Detail { verbose: a.verbose };
        super::print_out(&p.to_text(detail))?;
    }
    Ok(p.verdict.exit_code())
}
