//! Ctrl-C (SIGINT) and SIGTERM during pack, sign and extract: the process
//! exits with 130 or 143 and leaves neither its temporary file or folder
//! nor an output behind. Each run is a real one, over a folder large
//! enough that the signal arrives while the output is being written.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// Size of the generated file (sparse: cheap to make, real bytes to write).
const BIG: u64 = 192 << 20;

fn start(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Names in `dir` that start with `.docseal-`.
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".docseal-"))
        .collect()
}

/// Waits until the run has a temporary output in `dir`, then signals it;
/// returns its exit code and stderr. Panics when the run ends first.
fn interrupt(mut child: Child, dir: &Path, signal: &str) -> (Option<i32>, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while temporaries(dir).is_empty() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ended ({status}) before it wrote anything: make BIG larger");
        }
        assert!(Instant::now() < deadline, "no temporary output appeared");
        std::thread::sleep(Duration::from_millis(2));
    }
    let pid = child.id().to_string();
    let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_signal_removes_the_temporary_output_and_writes_nothing() {
    let f = Fixture::new();
    let big = f.path("in/big.bin");
    fs::File::create(&big).unwrap().set_len(BIG).unwrap();
    let (input, key, public) = (f.p("in"), f.p("alice.key"), f.p("alice.pub"));
    fs::create_dir(f.path("out")).unwrap();
    let out_dir = f.path("out");
    for (signal, code, name) in [("-INT", 130, "SIGINT"), ("-TERM", 143, "SIGTERM")] {
        let out = f.p("out/b.zip");
        let child = start(&["pack", &input, "-s", &key, "-o", &out]);
        let (got, stderr) = interrupt(child, &out_dir, signal);
        assert_eq!(got, Some(code), "pack {signal}: {stderr}");
        assert!(
            stderr.contains(&format!("interrupted by {name}")),
            "{stderr}"
        );
        let left: Vec<_> = fs::read_dir(&out_dir).unwrap().collect();
        assert!(left.is_empty(), "pack {signal} left {left:?}");
    }
    // A complete bundle, to co-sign and extract.
    let b = f.p("b.zip");
    docseal(&["pack", &input, "-q", "-s", &key, "-o", &b]).expect(0);
    let before = fs::read(f.path("b.zip")).unwrap();
    f.key("bob");
    let bob = f.p("bob.key");
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        // sign in place: the bundle stays as it was.
        let child = start(&["sign", &b, "-s", &bob]);
        let (got, stderr) = interrupt(child, f.dir.path(), signal);
        assert_eq!(got, Some(code), "sign {signal}: {stderr}");
        assert!(temporaries(f.dir.path()).is_empty(), "sign {signal}");
        assert!(
            fs::read(f.path("b.zip")).unwrap() == before,
            "sign {signal} changed b.zip"
        );
        // extract: no temporary folder, no target.
        let target = f.p("out/x");
        let child = start(&["extract", &b, "-p", &public, "-o", &target]);
        let (got, stderr) = interrupt(child, &out_dir, signal);
        assert_eq!(got, Some(code), "extract {signal}: {stderr}");
        let left: Vec<_> = fs::read_dir(&out_dir).unwrap().collect();
        assert!(left.is_empty(), "extract {signal} left {left:?}");
    }
}
