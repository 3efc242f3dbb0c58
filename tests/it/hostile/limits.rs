//! Resource bounds: the worst inputs of the other hostile tests, verified
//! and listed by the real binary under a 256 MiB address-space limit
//! (`prlimit --as`) and a 10 s CPU-time limit (`prlimit --cpu`). A crafted bundle must be answered,
//! not allowed to exhaust memory or time. This is the suite's only timing
//! assertion, and it is a hard ceiling, not a benchmark.

use std::fs;
use std::io::Write;
use std::time::Duration;

use super::kit::*;
use crate::common::*;

/// 256 MiB of address space.
const MEMORY: &str = "--as=268435456";
/// 10 s of CPU time, enforced by the kernel (SIGXCPU): unlike wall time,
/// it does not depend on how loaded the test machine is.
const CPU: &str = "--cpu=10";
/// Wall-clock deadline against a process that blocks instead of computing.
const HANG: Duration = Duration::from_secs(60);

/// A deflated entry whose stream inflates to `real` zero bytes while its
/// headers declare `declared` (a bomb that lies within the ratio limit).
fn lying_bomb(name: &[u8], real: usize, declared: usize) -> Spec {
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..real >> 20 {
        z.write_all(&chunk).unwrap();
    }
    let zeros = vec![0u8; declared];
    Spec {
        stored: z.finish().unwrap(),
        method: 8,
        ..Spec::stored(name, &zeros)
    }
}

/// The worst cases: (what, bundle bytes, verify flags, list's exit code).
fn worst_cases(f: &Fixture) -> Vec<(&'static str, Vec<u8>, &'static [&'static str], i32)> {
    let key = f.path("alice.key");
    let bundle = bundle(f);
    let plain = zip_contents(&bundle);
    let mut claims = bundle.clone();
    let eocd = claims.len() - 22;
    for at in [eocd + 8, eocd + 10] {
        claims[at..at + 2].copy_from_slice(&60_000u16.to_le_bytes());
    }
    let mut e = plain.clone();
    add(&mut e, b"data/zeros.bin", &vec![0u8; 64 << 20]);
    let honest: Vec<Spec> = resign_entries(&e, &key)
        .iter()
        .map(|(n, d)| match n.ends_with(b"zeros.bin") {
            true => Spec::deflated(n, d),
            false => Spec::stored(n, d),
        })
        .collect();
    let mut e = plain.clone();
    add(&mut e, b"data/zeros.bin", &vec![0u8; 16 << 20]);
    let lying: Vec<Spec> = resign_entries(&e, &key)
        .iter()
        .map(|(n, d)| match n.ends_with(b"zeros.bin") {
            true => lying_bomb(n, 128 << 20, d.len()),
            false => Spec::stored(n, d),
        })
        .collect();
    let mut deep = plain.clone();
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    set(&mut deep, "docseal.json", nested);
    let mut big = plain;
    set(
        &mut big,
        "manifest-sha256.txt",
        unsorted_manifest(16_000_000),
    );
    vec![
        ("a directory claiming 60,000 entries", claims, &[], 1),
        (
            "a deflate bomb",
            build_zip(&honest),
            &["--allow-repacked"],
            1,
        ),
        (
            "a lying deflate bomb",
            build_zip(&lying),
            &["--allow-repacked"],
            0,
        ),
        ("10,000-deep docseal.json", reseal(&deep, &key), &[], 1),
        ("a 16 MB unsorted manifest", reseal(&big, &key), &[], 0),
    ]
}

/// A payload manifest of about `bytes` bytes, in reverse order.
fn unsorted_manifest(bytes: usize) -> String {
    let line = |i: usize| format!("{}  data/f/{i:09}.txt\n", "ab".repeat(32));
    let n = bytes / line(0).len();
    (0..n).rev().map(line).collect()
}

/// Runs docseal under the memory limit and the deadline.
fn bounded(what: &str, args: &[&str]) -> Run {
    let all = [&[MEMORY, CPU, bin()][..], args].concat();
    run_timed("prlimit", &all, HANG).unwrap_or_else(|| panic!("{what}: {args:?} hung"))
}

#[test]
fn worst_case_inputs_are_answered_within_10_s_and_256_mib() {
    if !require("prlimit") {
        return;
    }
    let f = Fixture::new();
    let cases = worst_cases(&f);
    // The limit itself must let a normal verification through.
    let ok = bounded(
        "a good bundle",
        &["verify", &f.p("b.zip"), "-q", "-p", &f.p("alice.pub")],
    );
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    for (what, bytes, flags, list_code) in cases {
        fs::write(f.path("w.zip"), &bytes).unwrap();
        let mut args = vec!["verify", "-q"];
        let (w, key) = (f.p("w.zip"), f.p("alice.pub"));
        args.extend([w.as_str(), "-p", key.as_str()]);
        args.extend_from_slice(flags);
        let r = bounded(what, &args);
        assert_eq!(r.code, 1, "verify {what}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.starts_with("INVALID — "), "{what}: {}", r.stdout);
        let r = bounded(what, &["list", &w, "--json"]);
        assert_eq!(r.code, list_code, "list {what}: {}", r.stderr);
    }
}
