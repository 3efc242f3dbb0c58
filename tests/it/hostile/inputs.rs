//! What docseal reads from disk: FIFOs, symlinks (to devices or to secret
//! files), unreadable files, unpacked bags holding such things, and a
//! source file that changes while it is packed. Nothing may hang, follow a
//! link, or produce a manifest that does not describe the bytes written.

use std::fs;
use std::os::unix::fs::{symlink, FileExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::kit::*;
use crate::common::*;

/// Makes a hostile file at the given path.
type Make<'a> = &'a dyn Fn(&Path);

/// Generous: these commands take well under a second unless they block.
const DEADLINE: Duration = Duration::from_secs(30);

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Packs `dir` with alice's key under the deadline; panics on a hang.
fn pack_timed(f: &Fixture, dir: &str, out: &str) -> Run {
    run_timed(
        bin(),
        &[
            "pack",
            &f.p(dir),
            "-q",
            "-s",
            &f.p("alice.key"),
            "-o",
            &f.p(out),
        ],
        DEADLINE,
    )
    .unwrap_or_else(|| panic!("pack {dir} hung"))
}

#[test]
fn fifos_and_symlinks_in_the_input_are_refused_by_name_without_hanging() {
    if !require("mkfifo") {
        return;
    }
    let f = Fixture::new();
    let secret = f.path("alice.key");
    let cases: [(&str, &str, Make); 4] = [
        ("a FIFO", "pipe", &|p| assert!(mkfifo(p))),
        ("a symlink to /dev/null", "devnull", &|p| {
            symlink("/dev/null", p).unwrap()
        }),
        ("a symlink to the secret key", "key.txt", &|p| {
            symlink(&secret, p).unwrap()
        }),
        ("a FIFO as the description", "docseal.toml", &|p| {
            assert!(mkfifo(p))
        }),
    ];
    for (what, name, make) in cases {
        let input = f.path("case");
        let _ = fs::remove_dir_all(&input);
        fs::create_dir(&input).unwrap();
        fs::write(input.join("ok.txt"), "fine\n").unwrap();
        make(&input.join(name));
        let r = pack_timed(&f, "case", "x.zip");
        assert_eq!(r.code, 4, "{what}: {}", r.stderr);
        let prefix = format!("docseal: error: {}: ", input.join(name).display());
        assert!(r.stderr.starts_with(&prefix), "{what}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{what}: {}", r.stderr);
        assert!(!f.path("x.zip").exists(), "{what}");
    }
}

#[test]
fn an_unpacked_bag_holding_a_fifo_or_symlink_is_rejected_without_hanging() {
    if !require("mkfifo") {
        return;
    }
    let f = Fixture::new();
    f.pack("b.zip");
    f.extract("b.zip", &f.p("bag")).expect(0);
    for (what, make) in [
        ("FIFO", &(|p: &Path| assert!(mkfifo(p))) as Make),
        ("symlink", &|p: &Path| symlink("/etc/passwd", p).unwrap()),
    ] {
        let p = f.path("bag/data/sources/other.txt");
        fs::remove_file(&p).unwrap();
        make(&p);
        let r = run_timed(
            bin(),
            &["verify", &f.p("bag"), "--json", "-p", &f.p("alice.pub")],
            DEADLINE,
        )
        .unwrap_or_else(|| panic!("verify hung on a {what}"));
        assert_eq!(r.code, 1, "{what}: {}", r.stdout);
        assert_eq!(codes(&r.json()), ["bag.not-a-regular-file"], "{what}");
    }
}

#[test]
fn an_unpacked_bag_reached_through_a_symlinked_folder_is_refused() {
    let f = Fixture::new();
    f.pack("b.zip");
    fs::create_dir(f.path("real")).unwrap();
    f.extract("b.zip", &f.p("real/test-bundle")).expect(0);
    let (code, errors, _) = verify_json(&f.path("real"), &f.path("alice.pub"), &[]);
    assert_eq!((code, errors.len()), (0, 0), "the real folder verifies");
    fs::create_dir(f.path("wrap")).unwrap();
    symlink(f.path("real/test-bundle"), f.path("wrap/test-bundle")).unwrap();
    let (code, errors, _) = verify_json(&f.path("wrap"), &f.path("alice.pub"), &[]);
    assert_eq!((code, errors), (1, vec!["bag.not-a-bag".to_owned()]));
}

/// Whether this process can read a file it has no permission for (root,
/// or CAP_DAC_OVERRIDE): then chmod cannot make a file unreadable to us.
fn reads_anything(dir: &Path) -> bool {
    let probe = dir.join("probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::File::open(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

#[test]
fn unreadable_files_and_folders_are_io_errors_naming_them() {
    let f = Fixture::new();
    // Everything the unprivileged run needs: traversable, readable key, writable output.
    for (p, mode) in [("", 0o755), ("in", 0o755), ("out", 0o777)] {
        fs::create_dir_all(f.path(p)).unwrap();
        fs::set_permissions(f.path(p), fs::Permissions::from_mode(mode)).unwrap();
    }
    fs::copy(f.path("alice.key"), f.path("readable.key")).unwrap();
    fs::set_permissions(f.path("readable.key"), fs::Permissions::from_mode(0o644)).unwrap();
    let unprivileged = |args: &[&str]| -> Option<Run> {
        if !reads_anything(f.dir.path()) {
            return run_timed(bin(), args, DEADLINE);
        }
        // As root, run as nobody instead (util-linux setpriv).
        let user = ["--reuid=65534", "--regid=65534", "--clear-groups", bin()];
        let probe = run_timed("setpriv", &[&user[..], &["--version"]].concat(), DEADLINE);
        if probe.is_none_or(|r| r.code != 0) {
            return None;
        }
        run_timed("setpriv", &[&user[..], args].concat(), DEADLINE)
    };
    let cases: [(&str, &str); 2] = [("file", "in/sources/gc4.txt"), ("folder", "in/sources")];
    for (what, rel) in cases {
        fs::set_permissions(f.path(rel), fs::Permissions::from_mode(0o000)).unwrap();
        let out = f.path("out/x.zip").display().to_string();
        let args = [
            "pack",
            &f.p("in"),
            "-q",
            "-s",
            &f.p("readable.key"),
            "-o",
            &out,
        ];
        let Some(r) = unprivileged(&args) else {
            assert!(
                may_skip("running as root without a usable setpriv: no file is unreadable"),
                "an unreadable file is needed under CI"
            );
            return;
        };
        let mode = if what == "file" { 0o644 } else { 0o755 };
        fs::set_permissions(f.path(rel), fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(r.code, 5, "{what}: {}", r.stderr);
        let prefix = format!("docseal: error: {}: cannot ", f.p(rel));
        assert!(r.stderr.starts_with(&prefix), "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains("ermission denied"),
            "{what}: {}",
            r.stderr
        );
        assert!(!f.path("out/x.zip").exists(), "{what}");
    }
}

#[test]
fn the_manifest_describes_the_bytes_written_while_the_source_changes() {
    let f = Fixture::new();
    let input = f.path("moving");
    fs::create_dir(&input).unwrap();
    let path = input.join("moving.bin");
    let size = 32 << 20;
    fs::write(&path, vec![b'a'; size]).unwrap();
    let stop = AtomicBool::new(false);
    let out = std::thread::scope(|s| {
        // Rewrites the file in place, 1 MiB at a time, while it is packed.
        s.spawn(|| {
            let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
            let mut round = 0u8;
            while !stop.load(Ordering::Relaxed) {
                round = round.wrapping_add(1);
                for at in (0..size).step_by(1 << 20) {
                    file.write_all_at(&[b'a' + round % 26; 1 << 20], at as u64)
                        .unwrap();
                }
            }
        });
        let r = pack_timed(&f, "moving", "m.zip");
        stop.store(true, Ordering::Relaxed);
        r
    });
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bundle = fs::read(f.path("m.zip")).unwrap();
    let entries = zip_contents(&bundle);
    let data = get(&entries, "data/moving.bin");
    let digest = docseal::manifest::hex(&Sha256::digest(data));
    let manifest = String::from_utf8_lossy(get(&entries, "manifest-sha256.txt")).into_owned();
    assert_eq!(manifest, format!("{digest}  data/moving.bin\n"));
    let json = String::from_utf8_lossy(get(&entries, "docseal.json")).into_owned();
    assert!(json.contains(&digest), "{json}");
    let (code, errors, report) = verify_json(&f.path("m.zip"), &f.path("alice.pub"), &[]);
    assert_eq!((code, errors.len()), (0, 0), "{report:#}");
}
