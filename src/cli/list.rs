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
    /// With --citations: `w3c` prints them as W3C Web Annotations (JSON-LD).
    #[arg(long, value_name = "FORMAT", value_parser = ["w3c"], requires = "citations")]
    format: Option<String>,
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
    if a.format.as_deref() == Some("w3c") {
        let doc = docseal::list_citations::w3c(&a.bundle, &listing.manifest, &limits)?;
        super::print_out(&docseal::escape::to_json_pretty(&doc))?;
    } else if a.json {
        let doc = docseal::list::ListReport {
            schema: docseal::list::LIST_SCHEMA,
            format: listing.format,
            format_version: listing.format_version,
            listing: &listing,
            verification: report.as_ref(),
        };
        super::print_out(&doc.to_json())?;
    } else {
        let mut s = docseal::list::list_text(&listing, false, report.is_none());
        if a.citations {
            s.push_str(&docseal::list_citations::text(
                &a.bundle,
                &listing.manifest,
                &limits,
            )?);
        }
        if let Some(r) = &report {
            s.push_str(&docseal::render::verify_text(r, Default::default()));
        }
        super::print_out(&s)?;
    }
    Ok(report.map_or(exit::OK, |r| r.verdict.exit_code()))
}
