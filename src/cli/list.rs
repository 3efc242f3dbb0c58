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
    /// With --citations, for an archivist's notes bundle: show its citations
    /// in the context of the bundle they are about (named by its digest).
    #[arg(long, value_name = "BASE.zip", requires = "citations")]
    base: Option<PathBuf>,
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
    // The texts the citations address: the bundle's own, or its base's.
    let (texts_at, cited) = match &a.base {
        Some(base) => (
            base.as_path(),
            docseal::list_citations::over_base(base, &listing.manifest, &limits)?,
        ),
        None => (a.bundle.as_path(), listing.manifest.clone()),
    };
    if a.format.as_deref() == Some("w3c") {
        let ns = &listing.manifest.bundle.identifier;
        let doc = docseal::list_citations::w3c(texts_at, &cited, &limits, ns)?;
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
            if listing.manifest.base.is_some() && a.base.is_none() {
                s.push_str(
                    "the statement and sources these notes cite are the base's: \
                     give --base BASE.zip to show them in context\n",
                );
            }
            s.push_str(&docseal::list_citations::text(texts_at, &cited, &limits)?);
        }
        if let Some(r) = &report {
            s.push_str(&docseal::render::verify_text(r, Default::default()));
        }
        super::print_out(&s)?;
    }
    Ok(report.map_or(exit::OK, |r| r.verdict.exit_code()))
}
