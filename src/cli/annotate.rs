//! `docseal annotate`: an archivist's notes on a bundle, as a signed
//! bundle of their own (docs/FORMAT.md §11).

use std::path::PathBuf;

use clap::Args;
use docseal::annotate::AnnotateOptions;
use docseal::error::{exit, Result};
use docseal::output::Overwrite;

/// Arguments of `annotate`.
#[derive(Args, Debug)]
pub struct AnnotateArgs {
    /// The author's bundle the notes are about (never changed).
    #[arg(value_name = "BASE.zip")]
    base: PathBuf,
    /// The archivist's notes: a [notes] table (title at least) and
    /// [[citations]] / [[quotations]] as in docseal.toml, naming the base's
    /// sources by id or by path (data/…).
    #[arg(value_name = "NOTES.toml")]
    notes: PathBuf,
    /// The archivist's secret key (minisign format) [default: $DOCSEAL_SECRET_KEY, else $DOCSEAL_HOME/docseal.key].
    #[arg(short = 's', long = "secret-key", value_name = "PATH")]
    secret_key: Option<PathBuf>,
    /// The notes bundle to write.
    #[arg(short = 'o', long, value_name = "NOTES.zip")]
    output: PathBuf,
    /// Make these the next version of earlier notes OLD.zip (same identifier, version + 1).
    #[arg(long, value_name = "OLD.zip")]
    supersedes: Option<PathBuf>,
    /// Keys trusted to have signed the base (it is annotated, with a warning, if none did).
    #[command(flatten)]
    trust: super::TrustArgs,
    /// Replace an existing output file.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success (warnings still go to stderr).
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: AnnotateArgs) -> Result<i32> {
    docseal::output::refuse_dash(&a.output)?;
    let overwrite = if a.force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    docseal::output::check_destination(&a.output, overwrite)?;
    if let Some(old) = &a.supersedes {
        if docseal::output::same_file(old, &a.output) {
            return Err(docseal::error::Error::Usage(format!(
                "{}: --supersedes and --output are the same file; writing the new version \
                 there would destroy the one it supersedes (even with --force)",
                a.output.display()
            )));
        }
    }
    let verify = super::load_trusted(&a.trust)?;
    let created = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => docseal::time::parse_epoch(&v).map_err(docseal::error::Error::Usage)?,
        Err(_) => docseal::time::now(),
    };
    let key_path = super::keyfiles::secret_key_path(a.secret_key.as_deref())?;
    let key = super::keyfiles::load_secret_key(&key_path)?;
    super::signals::install();
    let supersedes = a
        .supersedes
        .as_deref()
        .map(docseal::pack::previous_version)
        .transpose()?;
    let opts = AnnotateOptions {
        base: &a.base,
        notes: &a.notes,
        output: &a.output,
        overwrite,
        created,
        verify: &verify,
        supersedes,
    };
    let s = docseal::annotate::annotate(&opts, &key)?;
    let esc = docseal::report::escape;
    for w in &s.warnings {
        eprintln!("docseal: warning: {}", esc(w));
    }
    if !a.quiet {
        eprintln!(
            "docseal: wrote the notes on {} version {} (tag manifest {}) into {}: {} citations, {} version {}, signed by {}",
            s.base.identifier,
            s.base.version,
            s.base.tagmanifest_sha256.get(..16).unwrap_or_default(),
            esc(&a.output.display().to_string()),
            s.citations,
            s.identifier,
            s.version,
            s.key_id
        );
    }
    Ok(exit::OK)
}
