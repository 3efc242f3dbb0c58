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
    /// Print only the verdict line; no progress bar.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: VerifyArgs) -> Result<i32> {
    let mut opts = super::load_trusted(&a.trust)?;
    opts.not_older_than = a.not_older_than.clone();
    opts.timestamps = super::load_tsa_trust(&a.tsa)?;
    let progress = super::progress::for_command(a.quiet, a.json);
    let verified = docseal::verify::verify(&a.bundle, &opts, progress.as_ref());
    let r = &verified.report;
    if a.json {
        super::print_out(&r.to_json())?;
    } else if a.quiet {
        let text = r.to_text();
        let line = text
            .lines()
            .find(|l| l.starts_with("verdict:"))
            .unwrap_or("verdict: ?");
        super::print_out(&format!("{line}\n"))?;
    } else {
        super::print_out(&r.to_text())?;
    }
    Ok(r.verdict.exit_code())
}
