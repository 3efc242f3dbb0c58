//! Bags built in code for `verify --bag-only` tests: payload, manifests of
//! any algorithms, tag manifests over every tag file, in a temp folder; and
//! the ways to run docseal and bagit-python on them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::common::{docseal, require, Run};

/// Hex digest of `data` with a manifest algorithm name.
pub fn hex(alg: &str, data: &[u8]) -> String {
    let bytes: Vec<u8> = match alg {
        "md5" => Md5::digest(data).to_vec(),
        "sha1" => Sha1::digest(data).to_vec(),
        "sha256" => Sha256::digest(data).to_vec(),
        "sha512" => Sha512::digest(data).to_vec(),
        "sha3_256" => sha3::Sha3_256::digest(data).to_vec(),
        other => panic!("test kit has no {other}"),
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A bag folder `NAME/` inside a temp dir.
pub struct Bag {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub tag_algs: Vec<&'static str>,
}

impl Bag {
    /// A BagIt `version` bag with `payload` (paths under data/), payload
    /// manifests of `algs`, tag manifests of the same, and a bag-info file
    /// with a correct Payload-Oxum.
    pub fn new(version: &str, algs: &[&'static str], payload: &[(&str, &[u8])]) -> Bag {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("bag");
        fs::create_dir_all(root.join("data")).unwrap();
        let bag = Bag {
            dir,
            root,
            tag_algs: algs.to_vec(),
        };
        bag.write(
            "bagit.txt",
            format!("BagIt-Version: {version}\nTag-File-Character-Encoding: UTF-8\n").as_bytes(),
        );
        let bytes: usize = payload.iter().map(|(_, d)| d.len()).sum();
        for (p, d) in payload {
            bag.write(p, d);
        }
        let info = if version < "0.96" {
            "package-info.txt"
        } else {
            "bag-info.txt"
        };
        bag.write(
            info,
            format!(
                "Source-Organization: Test\nPayload-Oxum: {bytes}.{}\n",
                payload.len()
            )
            .as_bytes(),
        );
        for alg in algs {
            let lines: String = payload
                .iter()
                .map(|(p, d)| format!("{}  {p}\n", hex(alg, d)))
                .collect();
            bag.write(&format!("manifest-{alg}.txt"), lines.as_bytes());
        }
        bag.rehash_tags();
        bag
    }

    /// The default: BagIt 1.0, SHA-256 and SHA-512, two payload files.
    pub fn basic() -> Bag {
        Bag::new(
            "1.0",
            &["sha256", "sha512"],
            &[("data/a.txt", b"alpha\n"), ("data/sub/b.txt", b"beta\n")],
        )
    }

    /// Writes a file of the bag, creating folders.
    pub fn write(&self, rel: &str, data: &[u8]) {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, data).unwrap();
    }

    /// Reads a file of the bag.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        fs::read(self.root.join(rel)).unwrap()
    }

    /// Rewrites every tag manifest over every file outside data/ (tag
    /// manifests excluded), as bagit-python makes them.
    pub fn rehash_tags(&self) {
        let mut tags = Vec::new();
        walk(&self.root, &self.root, &mut tags);
        tags.retain(|t| !t.starts_with("data/") && !t.starts_with("tagmanifest-"));
        tags.sort();
        for alg in &self.tag_algs {
            let lines: String = tags
                .iter()
                .map(|t| format!("{} {t}\n", hex(alg, &self.read(t))))
                .collect();
            self.write(&format!("tagmanifest-{alg}.txt"), lines.as_bytes());
        }
    }

    /// Replaces every LF of every tag file with `ending`, then rehashes.
    pub fn line_endings(&self, ending: &str) {
        let mut tags = Vec::new();
        walk(&self.root, &self.root, &mut tags);
        for t in tags
            .iter()
            .filter(|t| !t.starts_with("data/") && !t.starts_with("tagmanifest-"))
        {
            let text = String::from_utf8(self.read(t)).unwrap();
            self.write(t, text.replace('\n', ending).as_bytes());
        }
        self.rehash_tags();
    }

    /// `docseal verify --bag-only --json` on the folder.
    pub fn check(&self) -> Report {
        Report::of(&self.root)
    }

    /// The bag zipped by Info-ZIP `zip -r` with its top folder (`top`) or
    /// from inside it; None when zip is not installed.
    pub fn zipped(&self, top: bool) -> Option<PathBuf> {
        let out = self
            .dir
            .path()
            .join(if top { "top.zip" } else { "flat.zip" });
        let out_s = out.display().to_string();
        let run = if top {
            crate::common::run_tool("zip", &["-q", "-r", &out_s, "bag"], self.dir.path())
        } else {
            crate::common::run_tool("zip", &["-q", "-r", &out_s, "."], &self.root)
        }?;
        assert_eq!(run.code, 0, "zip: {}", run.stderr);
        Some(out)
    }

    /// bagit-python's verdict on the folder; None when it is not installed.
    pub fn bagit_python(&self) -> Option<bool> {
        bagit_python(&self.root)
    }
}

/// bagit-python 1.9's verdict on a folder; None when it is not installed.
pub fn bagit_python(path: &Path) -> Option<bool> {
    if !require("python3") {
        return None;
    }
    let o = Command::new("python3")
        .args([
            "-m",
            "bagit",
            "--validate",
            "--quiet",
            &path.display().to_string(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if err.contains("No module named bagit") {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("DOCSEAL_REQUIRE_PEERS").is_none(),
            "bagit-python is required (scripts/install-test-peers.sh)"
        );
        eprintln!("SKIPPED: bagit-python is not installed");
        return None;
    }
    Some(o.status.success())
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(root, &p, out);
        } else {
            out.push(
                p.strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .replace('\\', "/"),
            );
        }
    }
}

/// One run of `verify --bag-only --json`.
pub struct Report {
    pub run: Run,
    pub json: serde_json::Value,
}

impl Report {
    pub fn of(path: &Path) -> Report {
        let run = docseal(&[
            "verify",
            "--bag-only",
            "--json",
            &path.display().to_string(),
        ]);
        let json = run.json();
        assert_eq!(json["format"], "docseal-bagcheck");
        assert_eq!(json["format_version"], 1);
        Report { run, json }
    }

    /// Codes of findings of `severity` ("error", "warning", "incomplete").
    pub fn codes(&self, severity: &str) -> Vec<String> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == severity)
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Asserts a valid verdict, exit 0, with exactly these warning codes.
    #[track_caller]
    pub fn valid(&self, warnings: &[&str]) {
        assert_eq!(self.json["verdict"], "valid", "{}", self.json);
        assert_eq!(self.run.code, 0);
        assert_eq!(self.codes("warning"), warnings, "{}", self.json);
    }

    /// Asserts an invalid verdict, exit 1, with exactly these error codes.
    #[track_caller]
    pub fn invalid(&self, errors: &[&str]) {
        assert_eq!(self.json["verdict"], "invalid", "{}", self.json);
        assert_eq!(self.run.code, 1);
        assert_eq!(self.codes("error"), errors, "{}", self.json);
    }
}
