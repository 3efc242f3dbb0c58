//! `extract`: verify, then write the bag to a folder — all of it or nothing.
//!
//! Nothing is written unless the bundle verifies. The files are then written
//! into a fresh temporary folder beside the target (names are [`BagPath`]s
//! already validated by the reader, so they cannot escape it), files are
//! created new and never through an existing symlink, and the temporary
//! folder is verified again as an unpacked bag before it is renamed into
//! place: what lands at the target is exactly what was verified, even if the
//! zip changed between the two reads.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::bagpath::BagPath;
use crate::bundle::OpenBundle;
use crate::error::{Error, Result};
use crate::output;
use crate::progress::{Progress, Silent};
use crate::report::{Report, Verdict};
use crate::verify::{self, VerifyOptions};

/// Verifies `bundle` and, when valid, writes its bag into `target`, which
/// must not exist (or be an empty folder). Returns the verification report;
/// when its verdict is not valid nothing was written.
pub fn extract(
    bundle: &Path,
    opts: &VerifyOptions,
    target: &Path,
    progress: &dyn Progress,
) -> Result<Report> {
    check_target(target)?;
    let verified = verify::verify(bundle, opts, progress)?;
    let (Some(open), Verdict::Valid) = (&verified.bundle, verified.report.verdict) else {
        return Ok(verified.report);
    };
    let parent = output::parent_dir(target);
    let tmp = tempfile::Builder::new()
        .prefix(".docseal-extract-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, "create a temporary folder in", e))?;
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
    check_target(target)?;
    if target.is_dir() {
        fs::remove_dir(target).map_err(|e| Error::io(target, "replace the empty folder", e))?;
    }
    let kept: PathBuf = tmp.keep();
    fs::rename(&kept, target).map_err(|e| {
        let _ = fs::remove_dir_all(&kept);
        Error::io(target, "rename the extracted folder into place", e)
    })?;
    output::sync_dir(&parent);
    Ok(verified.report)
}

/// The target must not exist, or be an empty real folder (not a symlink).
fn check_target(target: &Path) -> Result<()> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(target, "inspect", e)),
        Ok(m) if m.is_dir() => {
            let mut entries = fs::read_dir(target).map_err(|e| Error::io(target, "list", e))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(Error::Exists {
                    path: target.to_path_buf(),
                })
            }
        }
        Ok(_) => Err(Error::Exists {
            path: target.to_path_buf(),
        }),
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
