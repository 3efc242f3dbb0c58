//! fetch.txt (present files checked, absent ones make the bag incomplete,
//! nothing fetched), zipped bags, and bagit-python's verdict on a sample.

use std::net::TcpListener;

use super::kit::{hex, Bag, Report};

/// A bag whose fetch.txt points at a loopback listener that must never be called.
fn holey(listener: &TcpListener) -> Bag {
    let bag = Bag::basic();
    let addr = listener.local_addr().unwrap();
    let fetch =
        format!("http://{addr}/a.txt 6 data/a.txt\nhttp://{addr}/sub/b.txt - data/sub/b.txt\n");
    bag.write("fetch.txt", fetch.as_bytes());
    bag.rehash_tags();
    bag
}

fn loopback() -> TcpListener {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    l
}

#[track_caller]
fn never_called(l: &TcpListener) {
    match l.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("docseal connected to the fetch URL: {other:?}"),
    }
}

#[test]
fn fetch_listed_files_that_are_present_are_checked_like_any_payload() {
    let l = loopback();
    let bag = holey(&l);
    bag.check().valid(&[]);
    assert!(bag.bagit_python().unwrap_or(true));
    bag.write("data/a.txt", b"ALPHA\n");
    bag.check()
        .invalid(&["bagit.checksum.mismatch", "bagit.checksum.mismatch"]);
    never_called(&l);
}

#[test]
fn fetch_listed_files_that_are_absent_make_the_bag_incomplete() {
    let l = loopback();
    let bag = holey(&l);
    std::fs::remove_file(bag.root.join("data/a.txt")).unwrap();
    let r = bag.check();
    assert_eq!(r.json["verdict"], "incomplete", "{}", r.json);
    assert_eq!(r.run.code, 1);
    assert_eq!(r.codes("incomplete"), ["bagit.fetch.not-fetched"]);
    assert!(r.codes("error").is_empty(), "{}", r.json);
    assert_eq!(r.codes("warning"), ["bagit.info.oxum-not-checked"]);
    assert_eq!(r.json["not_fetched"], 1);
    let text = crate::common::docseal(&["verify", "--bag-only", &bag.root.display().to_string()])
        .expect(1);
    assert!(
        text.stdout.contains(
            "verdict: incomplete BagIt bag: 1 file(s) listed in fetch.txt are not present"
        ),
        "{}",
        text.stdout
    );
    // bagit-python calls it invalid ("Bag is incomplete"): both exit 1.
    assert!(!bag.bagit_python().unwrap_or(false));
    never_called(&l);
}

#[test]
fn fetch_errors() {
    for (line, code) in [
        (
            "http://h/x - data/not-in-manifest.txt",
            "bagit.fetch.unlisted",
        ),
        ("http://h/x - ../../../README.md", "bagit.path.unsafe"),
        (
            "https://en.wikipedia.org - /tmp/test.txt",
            "bagit.path.unsafe",
        ),
        ("localhost - data/a.txt", "bagit.fetch.bad-url"),
        ("http://h/x 12kb data/a.txt", "bagit.fetch.bad-length"),
        ("http://h/x - bagit.txt", "bagit.fetch.outside-payload"),
    ] {
        let bag = Bag::basic();
        bag.write("fetch.txt", format!("{line}\n").as_bytes());
        bag.rehash_tags();
        let r = bag.check();
        assert_eq!(
            r.codes("error").first().map(String::as_str),
            Some(code),
            "{line}: {}",
            r.json
        );
    }
}

#[test]
fn zipped_bags_get_the_folder_verdict() {
    let cases: Vec<(Bag, &str)> = vec![
        (Bag::basic(), "valid"),
        (
            {
                let b = Bag::new("0.97", &["md5", "sha1"], &[("data/a.txt", b"alpha\n")]);
                b.line_endings("\r\n");
                b
            },
            "valid",
        ),
        (
            {
                let b = Bag::basic();
                b.write("data/a.txt", b"changed");
                b
            },
            "invalid",
        ),
        (
            {
                let b = Bag::basic();
                b.write("meta/x.txt", b"tag in a subfolder");
                b.rehash_tags();
                b
            },
            "valid",
        ),
    ];
    for (bag, verdict) in cases {
        let folder = bag.check();
        assert_eq!(folder.json["verdict"], verdict);
        for top in [true, false] {
            let Some(zip) = bag.zipped(top) else { return };
            let z = Report::of(&zip);
            assert_eq!(z.json["verdict"], verdict, "top folder {top}: {}", z.json);
            assert_eq!(z.json["container"], "repacked-zip");
            assert_eq!(z.codes("error"), folder.codes("error"));
            assert_eq!(z.json["files_hashed"], folder.json["files_hashed"]);
        }
    }
}

#[test]
fn a_zip_is_read_strictly_where_it_matters() {
    let bag = Bag::basic();
    let Some(zip) = bag.zipped(true) else { return };
    let mut bytes = std::fs::read(&zip).unwrap();
    // Flip a byte of a stored entry's data: its CRC-32 no longer matches.
    let at = bytes.windows(6).position(|w| w == b"alpha\n").unwrap();
    bytes[at] = b'A';
    std::fs::write(&zip, &bytes).unwrap();
    let r = Report::of(&zip);
    assert_eq!(r.json["verdict"], "invalid", "{}", r.json);
}

type Mutation = Box<dyn Fn(&Bag)>;

/// bagit-python and docseal agree on a sample of the built bags.
#[test]
fn bagit_python_agrees_on_a_sample() {
    let sha = hex("sha256", b"alpha\n");
    let mutations: Vec<(&str, Mutation)> = vec![
        ("untouched", Box::new(|_| {})),
        ("payload changed", Box::new(|b| b.write("data/a.txt", b"x"))),
        (
            "unlisted payload",
            Box::new(|b| b.write("data/new.txt", b"x")),
        ),
        (
            "tag file changed",
            Box::new(|b| b.write("bag-info.txt", b"Payload-Oxum: 11.2\nX: y\n")),
        ),
        (
            "lower-case encoding",
            Box::new(|b| {
                b.write(
                    "bagit.txt",
                    b"BagIt-Version: 1.0\nTag-File-Character-Encoding: utf-8\n",
                );
                b.rehash_tags();
            }),
        ),
        (
            "duplicate line in 1.0",
            Box::new(move |b| {
                let mut m = String::from_utf8(b.read("manifest-sha256.txt")).unwrap();
                m.push_str(&format!("{sha}  data/a.txt\n"));
                b.write("manifest-sha256.txt", m.as_bytes());
                b.rehash_tags();
            }),
        ),
        (
            "bagit.txt with BOM",
            Box::new(|b| {
                b.write(
                    "bagit.txt",
                    b"\xEF\xBB\xBFBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                );
                b.rehash_tags();
            }),
        ),
    ];
    for (what, mutate) in mutations {
        let bag = Bag::basic();
        mutate(&bag);
        let Some(python) = bag.bagit_python() else {
            return;
        };
        let ours = bag.check().run.code == 0;
        assert_eq!(
            ours, python,
            "{what}: docseal {ours}, bagit-python {python}"
        );
    }
}

#[test]
fn a_docseal_bundle_is_a_valid_bag_zipped_and_unpacked() {
    let f = crate::common::Fixture::new();
    let zip = f.pack("b.zip");
    let r = Report::of(&zip);
    r.valid(&[]);
    assert_eq!(r.json["version"], "1.0");
    assert_eq!(r.json["payload_manifests"], serde_json::json!(["sha256"]));
    let out = f.path("unpacked");
    if let Some(run) = crate::common::run_tool(
        "unzip",
        &[
            "-q",
            &zip.display().to_string(),
            "-d",
            &out.display().to_string(),
        ],
        f.dir.path(),
    ) {
        assert_eq!(run.code, 0, "{}", run.stderr);
        Report::of(&out).valid(&[]);
    }
}

/// The core entry point (no file system: what the wasm build calls) gives
/// the same report as the CLI for a zip held in memory.
#[test]
fn the_core_checks_a_zip_in_memory() {
    use docseal::bagcheck::{check_zip, render, Verdict};
    let bag = Bag::basic();
    let Some(zip) = bag.zipped(true) else { return };
    let bytes = std::fs::read(&zip).unwrap();
    let limits = docseal::container::Limits::default();
    let r = check_zip(
        bytes.clone(),
        "in-memory.zip",
        &limits,
        &docseal::progress::Silent,
    );
    assert_eq!(r.verdict, Verdict::Valid);
    assert_eq!(r.files_hashed, 6);
    let cli = Report::of(&zip);
    let ours: serde_json::Value = serde_json::from_str(&render::to_json(&r)).unwrap();
    assert_eq!(ours["findings"], cli.json["findings"]);
    let mut broken = bytes;
    let at = broken.windows(6).position(|w| w == b"alpha\n").unwrap();
    broken[at] = b'A';
    let r = check_zip(broken, "in-memory.zip", &limits, &docseal::progress::Silent);
    assert_eq!(r.verdict, Verdict::Invalid);
}

/// Every kind of report validates against docs/schema/bagcheck-report.schema.json.
#[test]
fn reports_validate_against_the_published_schema() {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("DOCSEAL_REQUIRE_PEERS").is_none(),
            "python3 jsonschema is required"
        );
        eprintln!("SKIPPED: python3 jsonschema is not installed");
        return;
    }
    let valid = Bag::basic();
    let invalid = Bag::basic();
    invalid.write("data/a.txt", b"changed");
    let l = loopback();
    let incomplete = holey(&l);
    std::fs::remove_file(incomplete.root.join("data/a.txt")).unwrap();
    let junk = valid.dir.path().join("junk.zip");
    std::fs::write(&junk, b"not a zip").unwrap();
    let mut docs = Vec::new();
    for (i, path) in [
        valid.root.clone(),
        invalid.root.clone(),
        incomplete.root.clone(),
        junk,
    ]
    .iter()
    .enumerate()
    {
        let r = Report::of(path);
        let out = valid.dir.path().join(format!("report-{i}.json"));
        std::fs::write(&out, &r.run.stdout).unwrap();
        docs.push(out);
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let o = std::process::Command::new("python3")
        .arg(format!("{root}/tests/schema_validate.py"))
        .arg(format!("{root}/docs/schema/bagcheck-report.schema.json"))
        .args(&docs)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
