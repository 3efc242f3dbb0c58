//! Where docseal writes: outputs that are symlinks or folders, extract
//! targets that hold symlinks, a disk that fills up mid-write, a pack
//! killed mid-write. Nothing may be written through a link, and a failed
//! or killed write never leaves a bundle at the destination.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::kit::*;
use crate::common::*;

/// `pack in/ -o out` signed by alice, with `--force` when asked.
fn pack_to(f: &Fixture, out: &Path, force: bool) -> Run {
    let out = out.display().to_string();
    let mut args = vec!["pack", "-q", "-s"];
    let (key, input) = (f.p("alice.key"), f.p("in"));
    args.extend([key.as_str(), input.as_str(), "-o", out.as_str()]);
    if force {
        args.push("--force");
    }
    docseal(&args)
}

#[test]
fn an_output_symlink_is_replaced_only_with_force_and_never_followed() {
    let f = Fixture::new();
    fs::write(f.path("victim.txt"), "victim\n").unwrap();
    fs::create_dir(f.path("adir")).unwrap();
    fs::create_dir(f.path("elsewhere")).unwrap();
    let cases = [
        ("to a file", "victim.txt"),
        ("dangling", "elsewhere/new.zip"),
        ("to a folder", "adir"),
    ];
    for (what, target) in cases {
        let link = f.path(&format!("link-{}.zip", what.replace(' ', "-")));
        symlink(f.path(target), &link).unwrap();
        let r = pack_to(&f, &link, false).expect(6);
        assert!(r.stderr.contains("already exists"), "{what}: {}", r.stderr);
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink(), "{what}");
        pack_to(&f, &link, true).expect(0);
        let meta = fs::symlink_metadata(&link).unwrap();
        assert!(meta.is_file(), "{what}: the link itself was replaced");
        let (code, _, _) = verify_json(&link, &f.path("alice.pub"), &[]);
        assert_eq!(code, 0, "{what}");
    }
    assert_eq!(fs::read(f.path("victim.txt")).unwrap(), b"victim\n");
    assert!(!f.path("elsewhere/new.zip").exists());
    assert_eq!(fs::read_dir(f.path("adir")).unwrap().count(), 0);
    // A real folder is never replaced, even with --force.
    for force in [false, true] {
        let r = pack_to(&f, &f.path("adir"), force).expect(4);
        assert!(r.stderr.contains("is a folder"), "{}", r.stderr);
    }
}

#[test]
fn extract_never_writes_through_a_symlink() {
    let f = Fixture::new();
    f.pack("b.zip");
    fs::create_dir(f.path("victim")).unwrap();
    // The target holds a link where the bag's data/ folder would go.
    fs::create_dir(f.path("holds-link")).unwrap();
    symlink(f.path("victim"), f.path("holds-link/data")).unwrap();
    symlink(f.path("victim"), f.path("is-link")).unwrap();
    symlink(f.path("nowhere"), f.path("dangling")).unwrap();
    for target in ["holds-link", "is-link", "dangling"] {
        let r = f.extract("b.zip", &f.p(target));
        assert_eq!(r.code, 6, "{target}: {}", r.stderr);
        assert!(
            r.stderr.contains("already exists"),
            "{target}: {}",
            r.stderr
        );
    }
    assert_eq!(fs::read_dir(f.path("victim")).unwrap().count(), 0);
    assert!(!f.path("nowhere").exists());
}

/// A tmpfs mounted for the test's lifetime.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` on `dir`; `None` where mounting is not allowed.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A folder holding one file of `mib` MiB of incompressible-looking bytes.
fn big_input(f: &Fixture, name: &str, mib: usize) -> PathBuf {
    let dir = f.path(name);
    fs::create_dir(&dir).unwrap();
    let data: Vec<u8> = (0..mib << 20).map(|i| (i * 7 + i / 251) as u8).collect();
    fs::write(dir.join("big.bin"), data).unwrap();
    dir
}

/// Packs a 4 MiB folder into `<1 MiB tmpfs>/out.zip`; `None` when no tmpfs
/// can be mounted here (then the test is skipped, except under CI).
fn pack_onto_a_full_disk(f: &Fixture) -> Option<(Tmpfs, PathBuf, Run)> {
    let input = big_input(f, "big", 4);
    let Some(mnt) = Tmpfs::mount(&f.path("small"), "1m") else {
        assert!(
            may_skip("cannot mount a 1 MiB tmpfs (needs root)"),
            "a tmpfs is required under CI"
        );
        return None;
    };
    let out = mnt.0.join("out.zip");
    let r = docseal(&[
        "pack",
        &input.display().to_string(),
        "-q",
        "-s",
        &f.p("alice.key"),
        "-o",
        &out.display().to_string(),
    ]);
    Some((mnt, out, r))
}

#[test]
fn a_full_disk_fails_with_one_line_and_leaves_nothing() {
    let f = Fixture::new();
    let Some((mnt, _, r)) = pack_onto_a_full_disk(&f) else {
        return;
    };
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("docseal: error: "), "{}", r.stderr);
    assert!(r.stderr.contains("No space left"), "{}", r.stderr);
    let left: Vec<_> = fs::read_dir(&mnt.0).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // Extracting a bundle too large for the disk leaves nothing either.
    let bundle = f.path("big.zip");
    let bundle_s = bundle.display().to_string();
    let (input, key) = (f.p("big"), f.p("alice.key"));
    docseal(&["pack", &input, "-q", "-s", &key, "-o", &bundle_s]).expect(0);
    let target = mnt.0.join("out");
    let r = docseal(&[
        "extract",
        &bundle_s,
        "-q",
        "-p",
        &f.p("alice.pub"),
        "-o",
        &target.display().to_string(),
    ])
    .expect(5);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("No space left"), "{}", r.stderr);
    let left: Vec<_> = fs::read_dir(&mnt.0).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_full_disk_error_names_the_output_not_the_input() {
    let f = Fixture::new();
    let Some((_mnt, out, r)) = pack_onto_a_full_disk(&f) else {
        return;
    };
    let prefix = format!("docseal: error: {}: cannot ", out.display());
    assert!(r.stderr.starts_with(&prefix), "{}", r.stderr);
}

#[test]
fn a_pack_killed_mid_write_leaves_no_bundle() {
    let f = Fixture::new();
    let input = f.path("huge");
    fs::create_dir(&input).unwrap();
    // 300 MB, made in no time: a sparse file reads as zeros.
    let file = fs::File::create(input.join("huge.bin")).unwrap();
    file.set_len(300 << 20).unwrap();
    drop(file);
    let out_dir = f.path("out");
    fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("huge.zip");
    let mut child = Command::new(bin())
        .args(["pack", "-q", "-s", &f.p("alice.key"), "-o"])
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(still_running, "pack of 300 MB finished within 100 ms");
    assert!(!out.exists(), "a killed pack left a bundle");
    // What a kill -9 can leave is the hidden temporary file, never the bundle.
    for e in fs::read_dir(&out_dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name.starts_with(".docseal-tmp-"), "left {name}");
    }
}
