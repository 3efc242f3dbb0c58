//! `docseal list`.

use std::path::PathBuf;

use clap::Args;
use docseal::error::{exit, Result};

/// Arguments of `list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// The bundle: a zip, or a folder it was unpacked into.
    #[arg(value_name = "BUNDLE")]
    bundle: PathBuf,
    /// Show each quotation, its source and locator, and the matched passages.
    #[arg(long)]
    citations: bool,
    /// Print the listing as one JSON document.
    #[arg(long)]
    json: bool,
    /// Also verify with these trusted keys (then the exit code is verify's).
    #[command(flatten)]
    trust: super::TrustArgs,
}

pub fn run(a: ListArgs) -> Result<i32> {
    let limits = docseal::container::Limits::default();
    let listing = docseal::list::list(&a.bundle, &limits)?;
    let verify = a.trust.given();
    let report = if verify {
        let opts = super::load_trusted(&a.trust)?;
        Some(docseal::verify::verify(&a.bundle, &opts, &docseal::progress::Silent)?.report)
    } else {
        None
    };
    if a.json {
        let doc = docseal::list::ListReport {
            schema: docseal::list::LIST_SCHEMA,
            format: listing.format,
            format_version: listing.format_version,
            listing: &listing,
            verification: report.as_ref(),
        };
        super::print_out(&doc.to_json())?;
    } else {
        let mut s = docseal::list::list_text(&listing, a.citations, report.is_none());
        if let Some(r) = &report {
            s.push_str(&docseal::render::verify_text(r, Default::default()));
        }
        super::print_out(&s)?;
    }
    Ok(report.map_or(exit::OK, |r| r.verdict.exit_code()))
}
