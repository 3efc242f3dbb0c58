//! `extract`: verify, then write the bag to a folder — all of it or nothing.
//!
//! Nothing is written unless the bundle verifies. The files are then written
//! into a fresh temporary folder beside the target (names are [`BagPath`]s
//! already validated by the reader, so they cannot escape it), files are
//! created new and never through an existing symlink, and the temporary
//! folder is verified again as an unpacked bag before it is renamed into
//! place: what lands at the target is exactly what was verified, even if the
//! zip changed between the two reads.
//!
//! An existing target is replaced only with [`Overwrite::Replace`]
//! (`--force`), and only when it is a file, a symlink (replaced itself, its
//! target untouched), an empty folder or an earlier extraction (a folder
//! holding `bagit.txt`); any other folder is never replaced. The old target
//! is first renamed aside, so a failure puts it back. The temporary folders
//! are registered with [`crate::interrupt`], so a signal removes them.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::bagpath::BagPath;
use crate::bundle::OpenBundle;
use crate::error::{Error, Result};
use crate::interrupt;
use crate::output::{self, Overwrite};
use crate::progress::{Progress, Silent};
use crate::report::{Report, Verdict};
use crate::verify::{self, VerifyOptions};

/// Verifies `bundle` and, when valid, writes its bag into `target`, which
/// must not exist (or be an empty folder) unless `overwrite` allows
/// replacing it (see the module documentation). Returns the verification
/// report; when its verdict is not valid nothing was written.
pub fn extract(
    bundle: &Path,
    opts: &VerifyOptions,
    target: &Path,
    overwrite: Overwrite,
    progress: &dyn Progress,
) -> Result<Report> {
    output::refuse_dash(target)?;
    check_target(target, overwrite)?;
    let verified = verify::verify(bundle, opts, progress)?;
    let (Some(open), Verdict::Valid) = (&verified.bundle, verified.report.verdict) else {
        return Ok(verified.report);
    };
    let parent = output::parent_dir(target);
    let tmp = tempfile::Builder::new()
        .prefix(".docseal-extract-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, "create a temporary folder in", e))?;
    let registration = interrupt::register(tmp.path());
    write_all(open, tmp.path(), target)?;
    let again = verify::verify(
        tmp.path(),
        &VerifyOptions {
            allow_repacked: true,
            ..opts.clone()
        },
        &Silent,
    )?;
    if again.report.verdict != Verdict::Valid {
        return Err(Error::Bundle {
            path: bundle.to_path_buf(),
            problem: "the bundle changed while it was being extracted; nothing was written".into(),
        });
    }
    let existing = check_target(target, overwrite)?;
    let kept: PathBuf = tmp.keep();
    place(&kept, registration, target, existing).inspect_err(|_| {
        let _ = fs::remove_dir_all(&kept);
    })?;
    output::sync_dir(&parent);
    Ok(verified.report)
}

/// What is at the target now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Existing {
    /// Nothing.
    Nothing,
    /// An empty real folder, which is removed.
    EmptyFolder,
    /// Something `--force` replaces: moved aside, then removed.
    Replaceable,
}

/// Renames the extracted folder `from` into place at `target`, in a
/// section no signal cleanup can interrupt halfway.
fn place(
    from: &Path,
    registration: interrupt::Registration,
    target: &Path,
    existing: Existing,
) -> Result<()> {
    let mut held = interrupt::hold();
    let aside = match existing {
        Existing::Nothing => None,
        Existing::EmptyFolder => {
            fs::remove_dir(target).map_err(|e| Error::io(target, "replace the empty folder", e))?;
            None
        }
        Existing::Replaceable => {
            let aside = aside_name(target);
            fs::rename(target, &aside).map_err(|e| Error::io(target, "move aside", e))?;
            let r = held.register(&aside);
            Some((aside, r))
        }
    };
    if let Err(e) = fs::rename(from, target) {
        if let Some((aside, r)) = aside {
            let _ = fs::rename(aside, target);
            // Released within the section: dropping it here would wait for `held`.
            held.release(r);
        }
        return Err(Error::io(
            target,
            "rename the extracted folder into place",
            e,
        ));
    }
    held.release(registration);
    drop(held);
    if let Some((aside, _r)) = aside {
        let removed = match fs::symlink_metadata(&aside) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(&aside),
            _ => fs::remove_file(&aside),
        };
        removed.map_err(|e| Error::io(&aside, "remove the replaced output", e))?;
    }
    Ok(())
}

/// A fresh hidden name beside `target` for the output being replaced.
fn aside_name(target: &Path) -> PathBuf {
    let mut random = [0u8; 8];
    let _ = getrandom::getrandom(&mut random);
    let name = format!(".docseal-old-{}", crate::manifest::hex(&random));
    output::parent_dir(target).join(name)
}

/// What is at the target, and whether it may be replaced.
fn check_target(target: &Path, overwrite: Overwrite) -> Result<Existing> {
    let exists = || Error::Exists {
        path: target.to_path_buf(),
    };
    let meta = match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(Error::io(target, "inspect", e)),
        Ok(m) => m,
    };
    if meta.is_dir() {
        let mut entries = fs::read_dir(target).map_err(|e| Error::io(target, "list", e))?;
        if entries.next().is_none() {
            return Ok(Existing::EmptyFolder);
        }
        let bag =
            fs::symlink_metadata(target.join(crate::bundle::BAGIT_TXT)).is_ok_and(|m| m.is_file());
        if !bag {
            return Err(Error::ExistsKept {
                path: target.to_path_buf(),
            });
        }
    }
    match overwrite {
        Overwrite::Refuse => Err(exists()),
        Overwrite::Replace => Ok(Existing::Replaceable),
    }
}

fn write_all(b: &OpenBundle, dir: &Path, target: &Path) -> Result<()> {
    for f in &b.files {
        let rel = BagPath::new(&f.rel).map_err(|e| Error::Bundle {
            path: target.to_path_buf(),
            problem: format!("{}: {e}", f.rel),
        })?;
        let dest = rel.to_fs_path(dir);
        if let Some(p) = dest.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, "create folder", e))?;
        }
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest)
            .map_err(|e| Error::io(&dest, "create", e))?;
        let mut src = b
            .reader(f)
            .map_err(|e| Error::io(&dest, "read from the bundle for", e))?;
        io::copy(&mut src, &mut out).map_err(|e| Error::io(&dest, "write", e))?;
        out.sync_all()
            .map_err(|e| Error::io(&dest, "flush to disk", e))?;
    }
    Ok(())
}
