//! `docseal pack`.
//!
//! `-o -` writes the bundle to stdout, only when stdout is not a terminal:
//! the zip writer seeks, so the bundle is built in a temporary folder
//! (registered for signal cleanup) and then copied out.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use docseal::error::{exit, Error, Result};
use docseal::output::Overwrite;
use docseal::pack::{PackOptions, PackSummary};

/// The most left-out paths listed one per line; the rest are counted.
const MAX_LISTED: usize = 20;

/// Arguments of `pack`.
#[derive(Args, Debug)]
pub struct PackArgs {
    /// The folder to pack (may hold a docseal.toml description).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The secret key to sign with (minisign format) [default: $DOCSEAL_SECRET_KEY, else $DOCSEAL_HOME/docseal.key].
    #[arg(short = 's', long = "secret-key", value_name = "PATH")]
    secret_key: Option<PathBuf>,
    /// The bundle to write; `-` writes it to stdout (not to a terminal).
    #[arg(short = 'o', long, value_name = "BUNDLE.zip")]
    output: PathBuf,
    /// Make this bundle the next version of OLD.zip (same identifier, version + 1).
    #[arg(long, value_name = "OLD.zip")]
    supersedes: Option<PathBuf>,
    /// Also pack hidden files and folders (names starting with '.', like .git/),
    /// editor leftovers (x~, #x#), Thumbs.db and desktop.ini.
    #[arg(long)]
    include_hidden: bool,
    /// Leave out files and folders matching GLOB (repeatable): `*.bak` matches a
    /// name at any depth, `drafts/*.md` a path from the folder's root, `build/`
    /// folders only, `**` any number of folders.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Replace an existing output file.
    #[arg(short = 'f', long)]
    force: bool,
    /// Print nothing on success and draw no progress bar (warnings still go to stderr).
    #[arg(short = 'q', long)]
    quiet: bool,
}

pub fn run(a: PackArgs) -> Result<i32> {
    let to_stdout = a.output.as_os_str() == "-";
    let overwrite = if a.force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    if to_stdout {
        if std::io::stdout().is_terminal() {
            return Err(Error::Usage(
                "-o -: stdout is a terminal; redirect it (> bundle.zip) or give a file name".into(),
            ));
        }
    } else {
        docseal::output::check_destination(&a.output, overwrite)?;
    }
    if let Some(old) = &a.supersedes {
        if docseal::output::same_file(old, &a.output) {
            return Err(Error::Usage(format!(
                "{}: --supersedes and --output are the same file; writing the new version \
                 there would destroy the one it supersedes (even with --force)",
                a.output.display()
            )));
        }
    }
    let created = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => docseal::time::parse_epoch(&v).map_err(Error::Usage)?,
        Err(_) => docseal::time::now(),
    };
    let key_path = super::keyfiles::secret_key_path(a.secret_key.as_deref())?;
    let key = super::keyfiles::load_secret_key(&key_path)?;
    // After the passphrase prompt: a signal during it keeps its default
    // effect; nothing has been created yet.
    super::signals::install();
    let supersedes = a
        .supersedes
        .as_deref()
        .map(docseal::pack::previous_version)
        .transpose()?;
    let progress = super::progress::for_command(a.quiet, false);
    let pack = |output: &Path, overwrite| {
        let opts = PackOptions {
            dir: &a.dir,
            output,
            overwrite,
            created,
            supersedes: supersedes.clone(),
            include_hidden: a.include_hidden,
            exclude: &a.exclude,
        };
        docseal::pack::pack(&opts, &key, progress.as_ref())
    };
    let s = if to_stdout {
        let tmp = tempfile::Builder::new()
            .prefix(".docseal-stdout-")
            .tempdir()
            .map_err(|e| Error::io(&std::env::temp_dir(), "create a temporary folder in", e))?;
        let _registered = docseal::interrupt::register(tmp.path());
        let file = tmp.path().join("bundle.zip");
        let s = pack(&file, Overwrite::Refuse)?;
        copy_to_stdout(&file)?;
        s
    } else {
        pack(&a.output, overwrite)?
    };
    report(&a, &s, to_stdout);
    Ok(exit::OK)
}

/// Copies the finished bundle to stdout.
fn copy_to_stdout(file: &Path) -> Result<()> {
    let mut f = std::fs::File::open(file).map_err(|e| Error::io(file, "open", e))?;
    let mut out = std::io::stdout().lock();
    std::io::copy(&mut f, &mut out)
        .and_then(|_| std::io::Write::flush(&mut out))
        .map_err(|e| Error::io(Path::new("<stdout>"), "write", e))?;
    Ok(())
}

/// Warnings always; what was left out and the summary unless `--quiet`.
fn report(a: &PackArgs, s: &PackSummary, to_stdout: bool) {
    let esc = docseal::report::escape;
    for w in &s.warnings {
        eprintln!("docseal: warning: {}", esc(w));
    }
    if a.quiet {
        return;
    }
    for l in s.left_out.iter().take(MAX_LISTED) {
        eprintln!("docseal: left out {}: {}", esc(&l.path), l.reason);
    }
    if s.left_out.len() > MAX_LISTED {
        eprintln!(
            "docseal: left out {} more files and folders",
            s.left_out.len() - MAX_LISTED
        );
    }
    let dest = if to_stdout {
        "stdout".to_owned()
    } else {
        a.output.display().to_string()
    };
    eprintln!(
        "docseal: packed {} files ({} bytes, {} citations checked) into {}: {} version {}, signed by {}",
        s.files, s.bytes, s.citations, esc(&dest), s.identifier, s.version, s.key_id
    );
}
