//! What pack publishes: hidden files, exclusions and the output itself are
//! left out and listed; every problem of a folder is reported in one run;
//! no field of the description is dropped; outputs named `-`; `--supersedes`
//! onto itself; `extract --force`; the retrieval-date warning.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;

/// The payload paths (below `data/`) of a bundle.
fn payload(bundle: &Path) -> Vec<String> {
    let mut names: Vec<String> = zip_contents(&fs::read(bundle).unwrap())
        .into_iter()
        .filter_map(|(n, _)| {
            let n = String::from_utf8(n).unwrap();
            n.split_once("/data/").map(|(_, rel)| rel.to_owned())
        })
        .collect();
    names.sort();
    names
}

/// The bundle's docseal.json.
fn manifest(bundle: &Path) -> serde_json::Value {
    let (_, json) = zip_contents(&fs::read(bundle).unwrap())
        .into_iter()
        .find(|(n, _)| n.ends_with(b"/docseal.json"))
        .unwrap();
    serde_json::from_slice(&json).unwrap()
}

fn pack_args<'a>(f: &'a Fixture, key: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<String> {
    let mut a = vec![
        "pack".to_owned(),
        f.p("in"),
        "-s".into(),
        key.to_owned(),
        "-o".into(),
        out.to_owned(),
    ];
    a.extend(extra.iter().map(|s| (*s).to_owned()));
    a
}

fn pack(f: &Fixture, out: &str, extra: &[&str]) -> Run {
    let key = f.p("alice.key");
    let args = pack_args(f, &key, out, extra);
    docseal(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

const ORIGINAL: [&str; 4] = [
    "notes.md",
    "sources/gc4.txt",
    "sources/other.txt",
    "statement.txt",
];

#[test]
fn hidden_files_and_the_output_itself_are_left_out_and_listed() {
    let f = Fixture::new();
    let input = f.path("in");
    fs::create_dir_all(input.join(".git/objects")).unwrap();
    fs::write(input.join(".git/config"), "[core]\n").unwrap();
    fs::write(input.join(".git/objects/ab"), "x").unwrap();
    fs::write(input.join(".DS_Store"), "x").unwrap();
    fs::write(input.join("sources/.gc4.txt.swp"), "x").unwrap();
    fs::write(input.join("notes.md~"), "x").unwrap();
    fs::write(input.join("Thumbs.db"), "x").unwrap();
    let out = f.p("in/bundle.zip");
    pack(&f, &out, &[]).expect(0);
    assert_eq!(payload(&f.path("in/bundle.zip")), ORIGINAL);
    // Packed again over itself: the existing output inside the folder is
    // left out too (by identity), not packed into the new version.
    let r = pack(&f, &out, &["--force"]).expect(0);
    assert_eq!(payload(&f.path("in/bundle.zip")), ORIGINAL);
    for line in [
        "docseal: left out .DS_Store: hidden (--include-hidden packs it)",
        "docseal: left out .git/: hidden (--include-hidden packs it)",
        "docseal: left out Thumbs.db: hidden",
        "docseal: left out bundle.zip: the output bundle itself",
        "docseal: left out notes.md~: hidden",
        "docseal: left out sources/.gc4.txt.swp: hidden",
    ] {
        assert!(r.stderr.contains(line), "{line}\n{}", r.stderr);
    }
    assert!(!r.stderr.contains(".git/config"), "a folder is listed once");
    // --include-hidden packs them all, still not the output (here written
    // inside the folder; the earlier bundle.zip is an ordinary file now).
    let out2 = f.p("in/with-hidden.zip");
    pack(&f, &out2, &["--include-hidden", "-q"]).expect(0);
    let got = payload(&f.path("in/with-hidden.zip"));
    for p in [".DS_Store", ".git/config", ".git/objects/ab", "notes.md~"] {
        assert!(got.contains(&p.to_owned()), "{p}: {got:?}");
    }
    assert!(!got.contains(&"with-hidden.zip".to_owned()), "{got:?}");
    let key = f.p("alice.pub");
    docseal(&["verify", &out2, "-p", &key]).expect(0);
}

#[test]
fn exclusions_come_from_the_command_line_and_the_description() {
    let f = Fixture::new();
    let input = f.path("in");
    fs::create_dir_all(input.join("drafts/old")).unwrap();
    fs::write(input.join("drafts/old/a.txt"), "x").unwrap();
    fs::write(input.join("sources/gc4.txt.bak"), "x").unwrap();
    fs::write(input.join("todo.txt"), "x").unwrap();
    let toml = fs::read_to_string(input.join("docseal.toml")).unwrap();
    fs::write(
        input.join("docseal.toml"),
        format!("[pack]\nexclude = [\"drafts/\"]\n\n{toml}"),
    )
    .unwrap();
    let out = f.p("b.zip");
    let r = pack(&f, &out, &["--exclude", "*.bak", "--exclude", "/todo.txt"]).expect(0);
    assert_eq!(payload(&f.path("b.zip")), ORIGINAL);
    assert!(
        r.stderr
            .contains("left out drafts/: excluded by \"drafts/\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("left out sources/gc4.txt.bak: excluded by \"*.bak\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("left out todo.txt: excluded by \"/todo.txt\""),
        "{}",
        r.stderr
    );
    // Excluding a file the description describes says why it is missing.
    let r = pack(&f, &f.p("c.zip"), &["--exclude", "sources/o*"]).expect(4);
    assert!(
        r.stderr.contains("describes \"sources/other.txt\", which pack left out: sources/other.txt is excluded by \"sources/o*\""),
        "{}",
        r.stderr
    );
    // A bad pattern is a usage error naming it.
    let r = pack(&f, &f.p("d.zip"), &["--exclude", "a[b"]).expect(2);
    assert!(
        r.stderr.contains("--exclude: exclusion pattern \"a[b\""),
        "{}",
        r.stderr
    );
    assert!(!f.path("c.zip").exists() && !f.path("d.zip").exists());
}

#[test]
fn superseding_the_output_itself_is_refused_even_with_force() {
    let f = Fixture::new();
    let v1 = f.pack("v1.zip");
    let before = fs::read(&v1).unwrap();
    fs::create_dir(f.path("sub")).unwrap();
    std::os::unix::fs::symlink(&v1, f.path("link.zip")).unwrap();
    for same in [f.p("v1.zip"), f.p("sub/../v1.zip"), f.p("link.zip")] {
        let r = pack(&f, &same, &["--supersedes", &f.p("v1.zip"), "--force"]).expect(2);
        assert!(
            r.stderr
                .contains("--supersedes and --output are the same file"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(fs::read(&v1).unwrap(), before, "v1 untouched");
    pack(&f, &f.p("v2.zip"), &["--supersedes", &f.p("v1.zip")]).expect(0);
}

#[test]
fn every_problem_of_a_folder_is_reported_in_one_run() {
    let f = Fixture::new();
    let input = f.path("in");
    std::os::unix::fs::symlink("/etc/passwd", input.join("passwd")).unwrap();
    fs::write(input.join("100%.txt"), "x").unwrap();
    fs::write(input.join("Notes.md"), "x").unwrap();
    fs::write(input.join("sources/bad\\name.txt"), "x").unwrap();
    let toml = fs::read_to_string(input.join("docseal.toml")).unwrap();
    let described = format!(
        "{toml}\n[[sources]]\nid = \"gone\"\npath = \"sources/gone.txt\"\ntitle = \"Gone\"\n\n\
         [[files]]\npath = \"missing.md\"\nrole = \"record\"\n"
    );
    fs::write(input.join("docseal.toml"), &described).unwrap();
    let r = pack(&f, &f.p("b.zip"), &[]).expect(4);
    for part in [
        "passwd: is a symlink",
        "100%.txt: name contains '%'",
        "name collides with",
        "bad\\name.txt: name cannot go into a bundle",
        "describes \"sources/gone.txt\", which is not a regular file",
        "describes \"missing.md\", which is not a regular file",
        "docseal: 6 problems; nothing was written",
    ] {
        assert!(r.stderr.contains(part), "{part}\n{}", r.stderr);
    }
    assert_eq!(
        r.stderr.matches("docseal: error: ").count(),
        6,
        "{}",
        r.stderr
    );
    // A description with several bad entries and unknown fields: all of
    // them, with the folder's bad names.
    let broken = format!(
        "{toml}\n[[files]]\npath = \"../x\"\nrole = \"record\"\n\n\
         [[files]]\npath = \"notes.md\"\nrole = \"record\"\nnote = \"singular\"\n\n\
         [[sources]]\nid = \"Bad Id\"\npath = \"y.txt\"\ntitle = \"Y\"\npublisher = \"P\"\n"
    );
    fs::write(input.join("docseal.toml"), &broken).unwrap();
    let r = pack(&f, &f.p("b.zip"), &[]).expect(4);
    for part in [
        "files[1] (path \"notes.md\"): unknown field \"note\"; [[files]] takes: path, role, title, notes",
        "sources[2]: unknown field \"publisher\"; [[sources]] takes:",
        "passwd: is a symlink",
        "100%.txt: name contains '%'",
    ] {
        assert!(r.stderr.contains(part), "{part}\n{}", r.stderr);
    }
    // Fix the unknown fields: the entries' own problems all appear.
    let fixed = broken
        .replace("note = \"singular\"\n", "")
        .replace("publisher = \"P\"\n", "");
    fs::write(input.join("docseal.toml"), fixed).unwrap();
    let r = pack(&f, &f.p("b.zip"), &[]).expect(4);
    for part in [
        "files[0] (path \"../x\"): path: contains '..'",
        "sources[2]: id: \"Bad Id\" is not 1 to 64 of a-z",
        "passwd: is a symlink",
    ] {
        assert!(r.stderr.contains(part), "{part}\n{}", r.stderr);
    }
    assert!(!f.path("b.zip").exists());
}

#[test]
fn notes_of_a_described_file_are_carried_into_the_bundle() {
    let f = Fixture::new();
    let input = f.path("in");
    let toml = fs::read_to_string(input.join("docseal.toml")).unwrap();
    fs::write(
        input.join("docseal.toml"),
        format!("{toml}\n[[files]]\npath = \"notes.md\"\nrole = \"record\"\nnotes = \"Kept.\"\n"),
    )
    .unwrap();
    let b = f.pack("b.zip");
    let m = manifest(&b);
    let notes = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["path"] == "data/notes.md");
    assert_eq!(notes.unwrap()["notes"], "Kept.", "{m:#}");
    docseal(&["verify", &f.p("b.zip"), "-p", &f.p("alice.pub")]).expect(0);
}

#[test]
fn the_archive_packs_and_warns_of_its_creation_date() {
    let f = Fixture::new();
    let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("archive");
    let (key, a) = (f.p("alice.key"), archive.display().to_string());
    // EPOCH is 2025-11-28; the archive's sources were retrieved 2026-11-28.
    let r = docseal(&["pack", &a, "-q", "-s", &key, "-o", &f.p("a.zip")]).expect(0);
    assert_eq!(
        r.stderr,
        "docseal: warning: the bundle's creation date 2025-11-28 is earlier than the retrieval \
         date 2026-11-28 of gc4-1949-en-full (and 25 other records); check SOURCE_DATE_EPOCH and \
         the clock\n"
    );
    assert!(
        !r.stderr.contains("left out"),
        "the archive has nothing hidden"
    );
    let later = [("SOURCE_DATE_EPOCH", "1796083200")]; // 2026-12-01
    let args = ["pack", &a, "-s", &key, "-o", &f.p("b.zip")];
    let r = docseal_env(&args, &later).expect(0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // Reproducible: the same input and time give the same bytes.
    docseal_env(&["pack", &a, "-q", "-s", &key, "-o", &f.p("c.zip")], &later).expect(0);
    assert_eq!(
        fs::read(f.path("b.zip")).unwrap(),
        fs::read(f.path("c.zip")).unwrap()
    );
}

/// Runs docseal in `dir` with stdout to a pipe.
fn in_dir(dir: &Path, args: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn pack_to_stdout_writes_the_same_bundle_as_to_a_file() {
    let f = Fixture::new();
    let file = f.pack("file.zip");
    let o = Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args(["pack", &f.p("in"), "-q", "-s", &f.p("alice.key"), "-o", "-"])
        .current_dir(f.path(""))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.stdout, fs::read(&file).unwrap());
    assert!(!f.path("-").exists());
    // On a terminal it is refused (script gives the command a terminal).
    if require("script") {
        let cmd = format!(
            "{} pack {} -s {} -o -",
            env!("CARGO_BIN_EXE_docseal"),
            f.p("in"),
            f.p("alice.key")
        );
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(f.path(""))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(out.contains("-o -: stdout is a terminal"), "{out}");
    }
}

#[test]
fn no_other_command_creates_a_file_named_dash() {
    let f = Fixture::new();
    f.pack("b.zip");
    let (b, key, public) = (f.p("b.zip"), f.p("alice.key"), f.p("alice.pub"));
    let cases: [&[&str]; 5] = [
        &["extract", &b, "-p", &public, "-o", "-"],
        &["sign", &b, "-s", &key, "-o", "-"],
        &["sign", &b, "-s", &key, "-o", "-", "--force"],
        &["keygen", "--no-passphrase", "-s", "-", "-p", "x.pub"],
        &["keygen", "--no-passphrase", "-s", "x.key", "-p", "-"],
    ];
    for args in cases {
        let r = in_dir(f.path("").as_path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("this output cannot be stdout"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!f.path("-").exists(), "{args:?} created '-'");
    }
    // ./- names such a file on purpose.
    in_dir(
        f.path("").as_path(),
        &["extract", &b, "-q", "-p", &public, "-o", "./-"],
    )
    .expect(0);
    assert!(f.path("-/bagit.txt").exists());
}

#[test]
fn extract_force_replaces_an_earlier_extraction_and_nothing_else() {
    let f = Fixture::new();
    f.pack("b.zip");
    let (b, public) = (f.p("b.zip"), f.p("alice.pub"));
    let extract = |out: &str, force: bool| {
        let mut a = vec!["extract", &b, "-q", "-p", &public, "-o", out];
        if force {
            a.push("--force");
        }
        docseal(&a)
    };
    let out = f.p("out");
    extract(&out, false).expect(0);
    fs::write(f.path("out/stale.txt"), "old").unwrap();
    let r = extract(&out, false).expect(6);
    assert!(
        r.stderr.contains("hint: use --force to replace it"),
        "{}",
        r.stderr
    );
    extract(&out, true).expect(0);
    assert!(!f.path("out/stale.txt").exists(), "replaced whole");
    docseal(&["verify", &out, "-p", &public]).expect(0);
    // A file is replaced with --force.
    fs::write(f.path("file"), "x").unwrap();
    extract(&f.p("file"), false).expect(6);
    extract(&f.p("file"), true).expect(0);
    assert!(f.path("file/bagit.txt").exists());
    // A folder that is not an extraction is never replaced, and its hint
    // does not offer --force.
    fs::create_dir(f.path("mine")).unwrap();
    fs::write(f.path("mine/precious.txt"), "keep").unwrap();
    for force in [false, true] {
        let r = extract(&f.p("mine"), force).expect(6);
        assert!(
            r.stderr.contains("is not an extracted bundle"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("use --force"), "{}", r.stderr);
    }
    assert_eq!(fs::read(f.path("mine/precious.txt")).unwrap(), b"keep");
    let leftovers: Vec<_> = fs::read_dir(f.path(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".docseal"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
