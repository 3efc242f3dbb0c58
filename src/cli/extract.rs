//! `docseal extract`.

use std::path::PathBuf;

use clap::Args;
use docseal::error::{exit, Result};
use docseal::output::Overwrite;
use docseal::report::Verdict;

/// Arguments of `extract`.
#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// The bundle to verify and extract.
    #[arg(value_name = "BUNDLE")]
    bundle: PathBuf,
    #[command(flatten)]
    trust: super::TrustArgs,
    /// The folder to create (must not exist, or be empty, unless --force); it becomes the bag.
    #[arg(short = 'o', long, value_name = "DIR")]
    output: PathBuf,
    /// Replace an existing --output: a file, a symlink (itself, not its target) or an
    /// earlier extraction (a folder holding bagit.txt); other folders are never replaced.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success; no progress bar.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: ExtractArgs) -> Result<i32> {
    super::signals::install();
    docseal::output::refuse_dash(&a.output)?;
    let opts = super::load_trusted(&a.trust)?;
    let progress = super::progress::for_command(a.quiet, false);
    let overwrite = if a.force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    let report =
        docseal::extract::extract(&a.bundle, &opts, &a.output, overwrite, progress.as_ref())?;
    if report.verdict != Verdict::Valid {
        let text = if a.quiet {
            docseal::render::brief(&report, 3)
        } else {
            docseal::render::verify_text(&report, Default::default())
        };
        super::print_out(&text)?;
        eprintln!("docseal: nothing extracted: the bundle did not verify");
        return Ok(report.verdict.exit_code());
    }
    if !a.quiet {
        let aside = docseal::verify::tolerated::set_aside(&report);
        if !aside.is_empty() {
            eprintln!(
                "docseal: left out {} files that are not part of the signed bundle (see verify)",
                aside.len()
            );
        }
        eprintln!(
            "docseal: verified and extracted {} files into {}",
            report.files.len(),
            a.output.display()
        );
    }
    Ok(exit::OK)
}
