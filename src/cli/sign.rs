//! `docseal sign`: co-sign an existing bundle.

use std::path::PathBuf;

use clap::Args;
use docseal::cosign::{self, CoSigner};
use docseal::error::{exit, Error, Result};
use docseal::output::Overwrite;

/// Arguments of `sign`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("how").required(true).args(["secret_key", "minisig"])))]
pub struct SignArgs {
    /// The bundle to co-sign.
    #[arg(value_name = "BUNDLE.zip")]
    bundle: PathBuf,
    /// Sign with this secret key (minisign format).
    #[arg(short = 's', long = "secret-key", value_name = "PATH")]
    secret_key: Option<PathBuf>,
    /// Add this signature made by stock minisign over the bundle's tagmanifest-sha256.txt.
    #[arg(long, value_name = "FILE", requires = "public_key")]
    minisig: Option<PathBuf>,
    /// With --minisig: the signer's public key; the signature is checked before it is added.
    #[arg(
        short = 'p',
        long = "public-key",
        value_name = "PATH",
        requires = "minisig"
    )]
    public_key: Option<PathBuf>,
    /// Write the co-signed bundle here instead of replacing BUNDLE.zip.
    #[arg(short = 'o', long, value_name = "OUT.zip")]
    output: Option<PathBuf>,
    /// Timestamp the new signature with this RFC 3161 authority (repeatable).
    #[arg(long = "tsa", value_name = "URL")]
    tsa: Vec<String>,
    /// Replace an existing --output.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: SignArgs) -> Result<i32> {
    if a.output.is_none() && a.bundle.is_dir() {
        return Err(Error::Usage(format!(
            "{}: an unpacked folder cannot be signed in place; give --output OUT.zip",
            a.bundle.display()
        )));
    }
    let (output, overwrite) = match &a.output {
        Some(o) => (
            o.clone(),
            if a.force {
                Overwrite::Replace
            } else {
                Overwrite::Refuse
            },
        ),
        None => (a.bundle.clone(), Overwrite::Replace),
    };
    let id = if let Some(path) = &a.secret_key {
        let key = docseal::keys::read_secret_key(path, &mut || super::passphrase::unlock(path))?;
        cosign::sign(&a.bundle, CoSigner::Key(&key), &output, overwrite, &a.tsa)?
    } else if let Some(path) = &a.minisig {
        let text = docseal::keys::read_small_text(path)?;
        let sig = docseal::minisign::Signature::parse(&text).map_err(|e| Error::Signature {
            path: path.clone(),
            problem: e.to_string(),
        })?;
        let key = a
            .public_key
            .as_deref()
            .map(docseal::keys::read_public_key)
            .transpose()?;
        cosign::sign(
            &a.bundle,
            CoSigner::Minisig {
                sig: Box::new(sig),
                key,
                origin: path,
            },
            &output,
            overwrite,
            &a.tsa,
        )?
    } else {
        return Err(Error::Usage("give --secret-key or --minisig".into()));
    };
    if !a.quiet {
        eprintln!(
            "docseal: added the signature of key {id}; wrote {}",
            output.display()
        );
    }
    Ok(exit::OK)
}
