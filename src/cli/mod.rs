//! Command-line definitions (clap) and dispatch. Library types never depend
//! on clap: arguments become library options here.

mod extract;
mod history;
mod keygen;
mod list;
mod pack;
mod passphrase;
mod progress;
mod sign;
mod verify;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use docseal::error::{exit, Error, Result};

const EXIT_CODES: &str = "\
Exit codes:
  0  success; a verified bundle is valid
  1  bundle rejected: content damaged, altered or malformed; or a rollback, fork,
     other lineage or new signer (--not-older-than, --same-signers)
  2  usage error, or a path that cannot be a bundle (a URL, a pipe, a device)
  3  bundle intact but not signed by enough trusted keys
  4  bad input other than the bundle (key, signature, passphrase, folder,
     description, a --not-older-than bundle that does not verify)
  5  I/O error
  6  output exists (use --force)
  101 a bug (a panic): please report it";

/// Signed, hash-manifested BagIt bundles of a statement and its sources.
#[derive(Parser, Debug)]
#[command(name = "docseal", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create an Ed25519 key pair in minisign's file formats.
    Keygen(keygen::KeygenArgs),
    /// Pack a folder into a signed, canonical bundle.
    Pack(pack::PackArgs),
    /// Verify a bundle (zip or unpacked folder) against trusted public keys.
    Verify(verify::VerifyArgs),
    /// List a bundle's manifest without extracting (listing is not verifying).
    List(list::ListArgs),
    /// Verify a bundle, then write its bag into a new folder.
    Extract(extract::ExtractArgs),
    /// Add a signature to a bundle without changing its content (co-signing).
    Sign(sign::SignArgs),
    /// Verify the versions of a bundle as a chain and show what changed.
    History(history::HistoryArgs),
}

/// Trusted keys, shared by verify, list and extract.
#[derive(Args, Debug, Clone, Default)]
pub struct TrustArgs {
    /// A minisign public key file you trust (repeatable).
    #[arg(short = 'p', long = "public-key", value_name = "PATH")]
    pub public_keys: Vec<PathBuf>,
    /// A folder of minisign .pub files you trust (e.g. keys/).
    #[arg(long, value_name = "DIR")]
    pub keyring: Option<PathBuf>,
    /// How many distinct trusted keys must have signed.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub threshold: u16,
    /// Accept a re-zipped bundle whose content and signatures verify (the report says so).
    #[arg(long)]
    pub allow_repacked: bool,
}

/// Parses the command line; on failure clap has printed the message.
pub fn parse() -> std::result::Result<Cli, i32> {
    // `--version` names the SHA-256 backend, detected at run time.
    static LONG_VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let long = LONG_VERSION.get_or_init(|| {
        format!(
            "{}\nSHA-256: {}",
            env!("CARGO_PKG_VERSION"),
            docseal::hashing::sha256_backend()
        )
    });
    let command = Cli::command().long_version(long.as_str());
    let parsed = command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| {
        let _ = e.print();
        if e.use_stderr() {
            exit::USAGE
        } else {
            exit::OK
        }
    })
}

/// Runs the command and returns the exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Keygen(a) => keygen::run(a),
        Command::Pack(a) => pack::run(a),
        Command::Verify(a) => verify::run(a),
        Command::List(a) => list::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Sign(a) => sign::run(a),
        Command::History(a) => history::run(a),
    }
}

/// Renders an error once: one line, plus an optional hint line.
pub fn print_error(e: &Error) {
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "docseal: error: {}",
        docseal::report::escape(&e.to_string())
    );
    if let Some(h) = e.hint() {
        let _ = writeln!(err, "hint: {h}");
    }
}

/// Writes the product to stdout; a closed pipe (e.g. `| head`) is not an error.
pub fn print_out(s: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Error::io("<stdout>".as_ref(), "write", e))
        }
        _ => Ok(()),
    }
}

/// Loads the trusted keys named by `--public-key` and `--keyring`.
pub fn load_trusted(t: &TrustArgs) -> Result<docseal::verify::VerifyOptions> {
    let mut trusted = Vec::new();
    let mut paths = t.public_keys.clone();
    if let Some(dir) = &t.keyring {
        let mut ring: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, "list the keyring", e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pub"))
            .collect();
        ring.sort();
        if ring.is_empty() {
            return Err(Error::input(dir, "keyring holds no .pub files"));
        }
        paths.extend(ring);
    }
    for p in paths {
        let key = docseal::keys::read_public_key(&p)?;
        trusted.push(docseal::verify::TrustedKey::from_file(
            key,
            &p.display().to_string(),
        ));
    }
    Ok(docseal::verify::VerifyOptions {
        trusted,
        threshold: usize::from(t.threshold),
        allow_repacked: t.allow_repacked,
        limits: docseal::container::Limits::default(),
        not_older_than: None,
        same_signers: false,
    })
}
