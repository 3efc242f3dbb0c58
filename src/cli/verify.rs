//! `docseal verify`.

use std::path::PathBuf;

use clap::Args;
use docseal::error::Result;

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
    #[arg(long, conflicts_with_all = ["public_keys", "keyring", "threshold", "allow_repacked", "not_older_than", "html"])]
    bag_only: bool,
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
