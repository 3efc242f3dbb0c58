//! `docseal timestamp`: add RFC 3161 tokens to a bundle's signatures.

use std::path::PathBuf;

use clap::Args;
use docseal::error::{exit, Error, Result};
use docseal::output::Overwrite;

/// Arguments of `timestamp`.
#[derive(Args, Debug)]
pub struct TimestampArgs {
    /// The bundle whose signatures to timestamp.
    #[arg(value_name = "BUNDLE.zip")]
    bundle: PathBuf,
    /// A time-stamping authority's URL (repeatable; each timestamps every signature).
    #[arg(long = "tsa", value_name = "URL", required = true)]
    tsa: Vec<String>,
    /// Write the timestamped bundle here instead of replacing BUNDLE.zip.
    #[arg(short = 'o', long, value_name = "OUT.zip")]
    output: Option<PathBuf>,
    /// Replace an existing --output.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: TimestampArgs) -> Result<i32> {
    if a.output.is_none() && a.bundle.is_dir() {
        return Err(Error::Usage(format!(
            "{}: an unpacked folder cannot be timestamped in place; give --output OUT.zip",
            a.bundle.display()
        )));
    }
    let (output, overwrite) = match &a.output {
        Some(o) if a.force => (o.clone(), Overwrite::Replace),
        Some(o) => (o.clone(), Overwrite::Refuse),
        None => (a.bundle.clone(), Overwrite::Replace),
    };
    let added = docseal::stamp::timestamp(&a.bundle, &a.tsa, &output, overwrite)?;
    if !a.quiet {
        eprintln!(
            "docseal: added {} timestamp{} ({}); wrote {}",
            added.len(),
            if added.len() == 1 { "" } else { "s" },
            added.join(", "),
            output.display()
        );
    }
    Ok(exit::OK)
}
