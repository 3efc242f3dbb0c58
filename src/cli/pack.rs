//! `docseal pack`.

use std::path::PathBuf;

use clap::Args;
use docseal::error::{exit, Error, Result};
use docseal::output::Overwrite;
use docseal::pack::PackOptions;

/// Arguments of `pack`.
#[derive(Args, Debug)]
pub struct PackArgs {
    /// The folder to pack (may hold a docseal.toml description).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The secret key to sign with (minisign format).
    #[arg(short = 's', long = "secret-key", value_name = "PATH")]
    secret_key: PathBuf,
    /// The bundle to write.
    #[arg(short = 'o', long, value_name = "BUNDLE.zip")]
    output: PathBuf,
    /// Make this bundle the next version of OLD.zip (same identifier, version + 1).
    #[arg(long, value_name = "OLD.zip")]
    supersedes: Option<PathBuf>,
    /// Timestamp the signature with this RFC 3161 authority (repeatable).
    #[arg(long = "tsa", value_name = "URL")]
    tsa: Vec<String>,
    /// Replace an existing output file.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success and draw no progress bar.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: PackArgs) -> Result<i32> {
    let overwrite = if a.force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    docseal::output::check_destination(&a.output, overwrite)?;
    let created = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => docseal::time::parse_epoch(&v).map_err(Error::Usage)?,
        Err(_) => docseal::time::now(),
    };
    let key_path = a.secret_key.clone();
    let key = docseal::keys::read_secret_key(&a.secret_key, &mut || {
        super::passphrase::unlock(&key_path)
    })?;
    let supersedes = a
        .supersedes
        .as_deref()
        .map(docseal::pack::previous_version)
        .transpose()?;
    let opts = PackOptions {
        dir: &a.dir,
        output: &a.output,
        overwrite,
        created,
        supersedes,
        tsa: &a.tsa,
    };
    let progress = super::progress::for_command(a.quiet, false);
    let s = docseal::pack::pack(&opts, &key, progress.as_ref())?;
    if !a.quiet {
        eprintln!(
            "docseal: packed {} files ({} bytes, {} citations checked) into {}: {} version {}, signed by {}",
            s.files,
            s.bytes,
            s.citations,
            a.output.display(),
            s.identifier,
            s.version,
            s.key_id
        );
    }
    Ok(exit::OK)
}
