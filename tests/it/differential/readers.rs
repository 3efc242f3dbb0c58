//! The mainstream zip readers, each run for real on a file: Info-ZIP
//! `unzip`, Python's `zipfile`, libarchive's `bsdtar` on the file and
//! streaming from a pipe (reading local headers front to back), 7-Zip and
//! the `zip` crate. Go's `archive/zip` is not installed here and so not
//! run. Each gives a [`View`]: what it extracted, by name.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::hostile::kit::sha;

/// Extracted regular files: `/`-separated name → SHA-256 (links and other
/// non-files are listed as `link` / `special` so that they disagree).
pub type View = BTreeMap<String, String>;

/// A reader: its name, the program it needs, and how to run it.
pub struct Reader {
    pub name: &'static str,
    pub program: Option<&'static str>,
    run: fn(&Path, &Path) -> Result<View, String>,
}

impl Reader {
    /// What the reader extracts from `zip` (using `scratch`, which must not
    /// exist), or why it failed.
    pub fn read(&self, zip: &Path, scratch: &Path) -> Result<View, String> {
        (self.run)(zip, scratch)
    }
}

/// Every reader, in a fixed order.
pub const READERS: [Reader; 6] = [
    Reader {
        name: "unzip",
        program: Some("unzip"),
        run: |z, out| tool("unzip", &["-qq", "-o", &s(z), "-d", &s(out)], None, out),
    },
    Reader {
        name: "python zipfile",
        program: Some("python3"),
        run: |z, out| {
            let code = "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])";
            tool("python3", &["-c", code, &s(z), &s(out)], None, out)
        },
    },
    Reader {
        name: "bsdtar",
        program: Some("bsdtar"),
        run: |z, out| tool("bsdtar", &["-xf", &s(z), "-C", &s(out)], None, out),
    },
    Reader {
        name: "bsdtar streaming",
        program: Some("bsdtar"),
        run: |z, out| tool("bsdtar", &["-xf", "-", "-C", &s(out)], Some(z), out),
    },
    Reader {
        name: "7z",
        program: Some("7z"),
        run: |z, out| {
            tool(
                "7z",
                &["x", "-y", "-bd", &format!("-o{}", s(out)), &s(z)],
                None,
                out,
            )
        },
    },
    Reader {
        name: "zip crate",
        program: None,
        run: |z, _| zip_crate(z),
    },
];

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Runs `program` (stdin from `stdin` when given) into a fresh `out`.
fn tool(program: &str, args: &[&str], stdin: Option<&Path>, out: &Path) -> Result<View, String> {
    fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let input = match stdin {
        Some(p) => Stdio::from(File::open(p).map_err(|e| e.to_string())?),
        None => Stdio::null(),
    };
    let o = Command::new(program)
        .args(args)
        .stdin(input)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "{program} exited with {}: {}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout).trim(),
            String::from_utf8_lossy(&o.stderr).trim()
        ));
    }
    walk(out)
}

/// What the `zip` crate reads, entry by entry, without writing anything.
fn zip_crate(z: &Path) -> Result<View, String> {
    let mut a = zip::ZipArchive::new(File::open(z).map_err(|e| e.to_string())?)
        .map_err(|e| format!("zip crate: {e}"))?;
    let mut view = View::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).map_err(|e| format!("zip crate: {e}"))?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_owned();
        let value = if f.is_symlink() {
            "link".to_owned()
        } else {
            let mut data = Vec::new();
            f.read_to_end(&mut data)
                .map_err(|e| format!("zip crate: {name}: {e}"))?;
            sha(&data)
        };
        if view.insert(name.clone(), value).is_some() {
            return Err(format!("zip crate: {name} twice"));
        }
    }
    Ok(view)
}

/// The regular files (and links and special files) under `root`.
pub fn walk(root: &Path) -> Result<View, String> {
    let mut view = View::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let ty = fs::symlink_metadata(&path)
                .map_err(|e| e.to_string())?
                .file_type();
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel.to_string_lossy().replace('\\', "/");
            if ty.is_dir() {
                stack.push(path);
            } else if ty.is_file() {
                view.insert(name, sha(&fs::read(&path).map_err(|e| e.to_string())?));
            } else {
                let what = if ty.is_symlink() { "link" } else { "special" };
                view.insert(name, what.to_owned());
            }
        }
    }
    Ok(view)
}
