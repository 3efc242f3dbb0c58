//! `docseal sign`: co-sign an existing bundle.

use std::path::PathBuf;

use clap::Args;
use docseal::cosign::{self, CoSigner};
use docseal::error::{exit, Error, Result};
use docseal::output::Overwrite;

/// Arguments of `sign`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("signer_key").args(["public_key", "public_key_string"])))]
pub struct SignArgs {
    /// The bundle to co-sign.
    #[arg(value_name = "BUNDLE.zip")]
    bundle: PathBuf,
    /// Sign with this secret key (minisign format) [default: $DOCSEAL_SECRET_KEY, else $DOCSEAL_HOME/docseal.key].
    #[arg(
        short = 's',
        long = "secret-key",
        value_name = "PATH",
        conflicts_with = "minisig"
    )]
    secret_key: Option<PathBuf>,
    /// Add this signature made by stock minisign over the bundle's tagmanifest-sha256.txt.
    #[arg(long, value_name = "FILE", requires = "signer_key")]
    minisig: Option<PathBuf>,
    /// With --minisig: the signer's public key file; the signature is checked before it is added.
    #[arg(
        short = 'p',
        long = "public-key",
        value_name = "PATH",
        requires = "minisig"
    )]
    public_key: Option<PathBuf>,
    /// With --minisig: the signer's public key inline, as its base64 line (as `minisign -P` takes it).
    #[arg(
        short = 'P',
        long = "public-key-string",
        value_name = "BASE64",
        requires = "minisig"
    )]
    public_key_string: Option<String>,
    /// Write the co-signed bundle here instead of replacing BUNDLE.zip.
    #[arg(short = 'o', long, value_name = "OUT.zip")]
    output: Option<PathBuf>,
    /// Timestamp the new signature with this RFC 3161 authority (repeatable).
    #[arg(long = "tsa", value_name = "URL")]
    tsa: Vec<String>,
    /// Accept a re-zipped bundle whose content verifies (as verify --allow-repacked
    /// does); the co-signed bundle is written as docseal's canonical zip.
    #[arg(long)]
    allow_repacked: bool,
    /// Replace an existing --output.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success.
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: SignArgs) -> Result<i32> {
    if let Some(o) = &a.output {
        docseal::output::refuse_dash(o)?;
    }
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
    let signed = if let Some(path) = &a.minisig {
        let loaded = docseal::keys::load_signature(path)?;
        super::keyfiles::print_notes(path, &loaded.notes);
        let key = match (&a.public_key, &a.public_key_string) {
            (Some(p), _) => {
                let k = docseal::keys::load_public_key(p)?;
                super::keyfiles::print_notes(p, &k.notes);
                Some(k.value)
            }
            (None, Some(b64)) => Some(docseal::keys::inline_public_key(b64)?),
            (None, None) => None,
        };
        super::signals::install();
        cosign::sign(
            &a.bundle,
            CoSigner::Minisig {
                sig: Box::new(loaded.value),
                key,
                origin: path,
            },
            &output,
            overwrite,
            &a.tsa,
            a.allow_repacked,
        )?
    } else {
        let path = super::keyfiles::secret_key_path(a.secret_key.as_deref())?;
        let key = super::keyfiles::load_secret_key(&path)?;
        // After the passphrase prompt, whose terminal state a signal must not strand.
        super::signals::install();
        let k = CoSigner::Key(&key);
        cosign::sign(&a.bundle, k, &output, overwrite, &a.tsa, a.allow_repacked)?
    };
    let id = signed.key_id;
    if !a.quiet {
        if let [first, rest @ ..] = signed.left_out.as_slice() {
            let more = if rest.is_empty() {
                String::new()
            } else {
                format!(" and {} more", rest.len())
            };
            eprintln!(
                "docseal: left out {}{more}: not part of the signed bundle",
                docseal::report::escape(first)
            );
        }
        eprintln!(
            "docseal: added the signature of key {id}; wrote {}",
            output.display()
        );
    }
    Ok(exit::OK)
}
