//! `docseal keygen`.

use std::path::PathBuf;

use clap::Args;
use docseal::error::{exit, Result};
use docseal::minisign::KdfParams;
use docseal::output::Overwrite;

/// Arguments of `keygen`.
#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// Where to write the secret key (created 0600) [default: $DOCSEAL_SECRET_KEY, else $DOCSEAL_HOME/docseal.key].
    #[arg(short = 's', long = "secret-key", value_name = "PATH")]
    secret_key: Option<PathBuf>,
    /// Where to write the public key [default: the secret key's path with .pub for .key].
    #[arg(short = 'p', long = "public-key", value_name = "PATH")]
    public_key: Option<PathBuf>,
    /// Do not encrypt the secret key (for automation; keep the file safe).
    #[arg(short = 'W', long)]
    no_passphrase: bool,
    /// The untrusted comment line of both key files (e.g. who the key belongs to).
    #[arg(short = 'c', long, value_name = "TEXT")]
    comment: Option<String>,
    /// Replace existing key files.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: KeygenArgs) -> Result<i32> {
    let secret_key = match &a.secret_key {
        Some(p) => p.clone(),
        None => super::keyfiles::default_secret_key_for_writing()?,
    };
    let public_key = a
        .public_key
        .clone()
        .unwrap_or_else(|| super::keyfiles::public_beside(&secret_key));
    let overwrite = if a.force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    docseal::output::check_destination(&secret_key, overwrite)?;
    docseal::output::check_destination(&public_key, overwrite)?;
    let pass = if a.no_passphrase {
        None
    } else {
        Some(super::passphrase::new(&secret_key)?)
    };
    let public = docseal::keys::generate(
        &secret_key,
        &public_key,
        pass.as_ref().map(|p| p.as_slice()),
        KdfParams::default(),
        overwrite,
        a.comment.as_deref(),
    )?;
    if !a.quiet {
        eprintln!(
            "docseal: key {} written: secret key {}{}, public key {}",
            public.key_id(),
            secret_key.display(),
            if a.no_passphrase {
                " (NOT encrypted)"
            } else {
                ""
            },
            public_key.display()
        );
    }
    Ok(exit::OK)
}
