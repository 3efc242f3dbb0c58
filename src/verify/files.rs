//! The file-system front end of `verify` (`cli` feature): turns a path into
//! an opened bundle, or into an error when the path cannot be a bundle at
//! all (it does not exist, cannot be read, is a pipe, a device or a URL).
//! Those are the reader's mistakes, never a verdict on a bundle.

use std::fs;
use std::path::Path;

use crate::bundle::OpenBundle;
use crate::error::{Error, Result};
use crate::progress::{Progress, Silent};
use crate::report::{BundleFile, Program};

use super::{verify_opened, Context, Reference, Verified, VerifyOptions};

/// Verifies the bundle (zip or unpacked folder) at `path`; with
/// `opts.not_older_than`, also the reference bundle, with the same keys.
pub fn verify(path: &Path, opts: &VerifyOptions, progress: &dyn Progress) -> Result<Verified> {
    verify_beside(path, None, opts, progress)
}

/// [`verify`], for an archivist's notes bundle at `path`, beside the
/// verified `base` it annotates (None: checked without it).
pub fn verify_beside(
    path: &Path,
    base: Option<&Reference>,
    opts: &VerifyOptions,
    progress: &dyn Progress,
) -> Result<Verified> {
    let reference = match &opts.not_older_than {
        Some(other) => {
            let plain = VerifyOptions {
                not_older_than: None,
                ..opts.clone()
            };
            Some(Reference {
                path: other.display().to_string(),
                verified: verify(other, &plain, &Silent)?,
            })
        }
        None => None,
    };
    let (file, is_dir) = bundle_file(path)?;
    let opened = OpenBundle::open(path, opts.allow_repacked, &opts.limits);
    let rezipped = matches!(&opened, Err(e) if super::rezip_candidate(e, opts))
        && OpenBundle::open(path, true, &opts.limits).is_ok();
    let digest = |file: &mut BundleFile| {
        if is_dir {
            return Ok(());
        }
        let f = fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
        let (d, n) = super::source_digest(&f, &Silent).map_err(|e| Error::io(path, "read", e))?;
        file.sha256 = Some(crate::manifest::hex(&d));
        file.size = Some(n);
        Ok::<(), Error>(())
    };
    let mut file = file;
    let mut hashed = Ok(());
    let verified = std::thread::scope(|s| {
        let h = s.spawn(|| {
            let mut f = BundleFile::default();
            let r = digest(&mut f);
            (f, r)
        });
        let ctx = Context {
            file: file.clone(),
            program: Program::default(),
            verified_at: Some(crate::time::rfc3339(crate::time::now())),
            reference: reference.as_ref(),
            base,
            progress,
            rezipped,
            folder: is_dir,
        };
        let v = verify_opened(opened, &ctx, opts);
        if let Ok((f, r)) = h.join() {
            file.sha256 = f.sha256;
            file.size = f.size;
            hashed = r;
        }
        v
    });
    hashed?;
    let mut verified = verified;
    verified.report.bundle = file;
    Ok(verified)
}

/// The bundle file as given, and whether it is a folder; an error when
/// `path` cannot be a bundle.
pub fn bundle_file(path: &Path) -> Result<(BundleFile, bool)> {
    let shown = path.display().to_string();
    if shown.contains("://") {
        return Err(Error::NotABundlePath {
            path: path.to_path_buf(),
            problem: "is a URL; docseal reads local files only".into(),
            hint: "download the bundle first, then verify the file",
        });
    }
    let meta = fs::metadata(path).map_err(|e| Error::io(path, "open", e))?;
    if !(meta.is_file() || meta.is_dir()) {
        return Err(Error::NotABundlePath {
            path: path.to_path_buf(),
            problem: "is not a regular file or folder (a pipe, a device or a socket)".into(),
            hint: "save the bundle to a file first, then verify the file",
        });
    }
    let file = BundleFile {
        path: shown,
        sha256: None,
        size: None,
    };
    Ok((file, meta.is_dir()))
}
