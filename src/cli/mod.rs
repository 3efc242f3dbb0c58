//! Command-line definitions (clap) and dispatch. Library types never depend
//! on clap: arguments become library options here.

mod annotate;
mod bag_only;
mod completions;
mod extract;
mod help;
mod history;
mod keyfiles;
mod keygen;
mod list;
mod pack;
mod passphrase;
mod progress;
mod sign;
mod signals;
mod timestamp;
mod trust;
mod verify;

pub use trust::{load_trusted, TrustArgs};

use std::io::{self, Write};

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use docseal::error::{exit, Error, Result};

/// Signed, hash-manifested BagIt bundles of a statement and its sources.
#[derive(Parser, Debug)]
#[command(name = "docseal", version, about)]
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
    /// Print shell completions (bash, zsh, fish, powershell, elvish) on stdout.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff) on stdout, e.g. `docseal man > docseal.1`.
    Man,
    /// Add RFC 3161 timestamps from one or more TSAs to every signature of a bundle.
    Timestamp(timestamp::TimestampArgs),
    /// Sign an archivist's notes on a bundle as a bundle of their own, without touching it.
    Annotate(annotate::AnnotateArgs),
}

/// The whole command line definition, as `--help` and completions show it.
pub fn command() -> clap::Command {
    base_command().after_help(help::after_help())
}

/// The command line definition without the reference text after the
/// options (the man page gives that its own sections).
fn base_command() -> clap::Command {
    // `--version` names the SHA-256 backend, detected at run time.
    static LONG_VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let long = LONG_VERSION.get_or_init(|| {
        format!(
            "{}\nSHA-256: {}",
            env!("CARGO_PKG_VERSION"),
            docseal::hashing::sha256_backend()
        )
    });
    Cli::command().long_version(long.as_str())
}

/// Parses the command line; on failure clap has printed the message.
pub fn parse() -> std::result::Result<Cli, i32> {
    let parsed = command()
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
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
        Command::Timestamp(a) => timestamp::run(a),
        Command::Annotate(a) => annotate::run(a),
    }
}

/// The most problems printed one per line for one error; the rest are counted.
const MAX_PROBLEMS: usize = 50;

/// Renders an error once: one line (one per problem when there are
/// several), plus an optional hint line.
pub fn print_error(e: &Error) {
    let mut err = io::stderr().lock();
    let all = e.each();
    for one in all.iter().take(MAX_PROBLEMS) {
        let _ = writeln!(
            err,
            "docseal: error: {}",
            docseal::report::escape(&one.to_string())
        );
    }
    if all.len() > MAX_PROBLEMS {
        let _ = writeln!(
            err,
            "docseal: error: and {} more problems",
            all.len() - MAX_PROBLEMS
        );
    }
    if all.len() > 1 {
        let _ = writeln!(err, "docseal: {} problems; nothing was written", all.len());
    }
    if let Some(h) = all.iter().find_map(Error::hint) {
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

/// Which TSA certificates `verify` pins, and whether a timestamp is required.
#[derive(Args, Debug, Clone, Default)]
pub struct TsaTrustArgs {
    /// A TSA root (or TSA) certificate you trust, PEM or DER (repeatable).
    #[arg(long = "tsa-cert", value_name = "PEM")]
    pub tsa_certs: Vec<PathBuf>,
    /// A folder of TSA certificates you trust (.pem, .crt, .cer, .der files).
    #[arg(long = "tsa-keyring", value_name = "DIR")]
    pub tsa_keyring: Option<PathBuf>,
    /// Count only signatures with a trusted timestamp: a missing or untrusted token fails (exit 3).
    #[arg(long)]
    pub require_timestamp: bool,
}

/// Loads the TSA certificates named by `--tsa-cert` and `--tsa-keyring`.
pub fn load_tsa_trust(a: &TsaTrustArgs) -> Result<docseal::timestamp::TsaTrust> {
    let mut paths = a.tsa_certs.clone();
    if let Some(dir) = &a.tsa_keyring {
        let mut ring: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, "list the TSA keyring", e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| ["pem", "crt", "cer", "der"].contains(&x))
            })
            .collect();
        ring.sort();
        if ring.is_empty() {
            return Err(Error::input(
                dir,
                "TSA keyring holds no .pem, .crt, .cer or .der files",
            ));
        }
        paths.extend(ring);
    }
    let mut trust = docseal::timestamp::TsaTrust {
        pinned: Vec::new(),
        require: a.require_timestamp,
    };
    for p in paths {
        let bytes = docseal::keys::read_small_file(&p)?;
        trust.pin(&bytes).map_err(|e| Error::input(&p, e.message))?;
    }
    Ok(trust)
}
