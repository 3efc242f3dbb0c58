//! Hostile bags get one clear reason and exit 1, never a hang, a panic or a
//! file read outside the bag.

use super::kit::{hex, Bag, Report};

#[cfg(unix)]
#[test]
fn a_symlink_in_the_folder_is_refused_not_followed() {
    let bag = Bag::basic();
    let secret = bag.dir.path().join("secret.txt");
    std::fs::write(&secret, b"outside").unwrap();
    std::os::unix::fs::symlink(&secret, bag.root.join("data/link.txt")).unwrap();
    let r = bag.check();
    r.invalid(&["bagit.open"]);
    let msg = r.json["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("symlink"), "{msg}");
}

#[cfg(unix)]
#[test]
fn a_fifo_listed_in_the_manifest_does_not_hang() {
    let bag = Bag::basic();
    let fifo = bag.root.join("data/pipe");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success());
    if ok.ok() != Some(true) {
        eprintln!("SKIPPED: mkfifo failed");
        return;
    }
    let mut m = String::from_utf8(bag.read("manifest-sha256.txt")).unwrap();
    m.push_str(&format!("{}  data/pipe\n", hex("sha256", b"")));
    bag.write("manifest-sha256.txt", m.as_bytes());
    bag.rehash_tags();
    bag.check().invalid(&["bagit.open"]);
}

#[test]
fn a_listed_path_out_of_the_bag_is_never_read() {
    let bag = Bag::basic();
    // The file exists next to the bag, with the right checksum: still refused.
    std::fs::write(bag.dir.path().join("outside.txt"), b"x").unwrap();
    let mut m = String::from_utf8(bag.read("manifest-sha256.txt")).unwrap();
    m.push_str(&format!(
        "{}  data/../../outside.txt\n",
        hex("sha256", b"x")
    ));
    bag.write("manifest-sha256.txt", m.as_bytes());
    bag.rehash_tags();
    let r = bag.check();
    r.invalid(&["bagit.path.unsafe"]);
    assert_eq!(
        r.json["files_hashed"], 6,
        "only the bag's own files: {}",
        r.json
    );
}

#[test]
fn garbage_and_traversing_zips() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.zip");
    std::fs::write(&junk, b"PK\x03\x04 this is not a zip").unwrap();
    Report::of(&junk).invalid(&["bagit.open"]);

    let evil = dir.path().join("evil.zip");
    let bytes = crate::common::raw_zip(&[
        (
            b"bag/bagit.txt".to_vec(),
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec(),
        ),
        (b"bag/../../etc/passwd".to_vec(), b"x".to_vec()),
    ]);
    std::fs::write(&evil, bytes).unwrap();
    let r = Report::of(&evil);
    r.invalid(&["bagit.open"]);
    assert!(
        r.json["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains(".."),
        "{}",
        r.json
    );
}

#[test]
fn a_tag_file_in_another_encoding_than_declared_is_an_error() {
    let bag = Bag::basic();
    bag.write(
        "bag-info.txt",
        b"Contact-Name: Jos\xe9\nPayload-Oxum: 11.2\n",
    );
    bag.rehash_tags();
    bag.check().invalid(&["bagit.encoding.invalid"]);
}

#[test]
fn names_and_values_from_the_bag_cannot_drive_the_terminal() {
    let bag = Bag::basic();
    let mut m = String::from_utf8(bag.read("manifest-sha256.txt")).unwrap();
    m.push_str(&format!(
        "{}  data/\u{1b}[2Jred\u{202e}txt\n",
        hex("sha256", b"")
    ));
    bag.write("manifest-sha256.txt", m.as_bytes());
    bag.write(
        "bag-info.txt",
        "Odd\u{1b}[31m : x\nPayload-Oxum: 11.2\n".as_bytes(),
    );
    bag.rehash_tags();
    let run = crate::common::docseal(&["verify", "--bag-only", &bag.root.display().to_string()])
        .expect(1);
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("error[bagit.file.missing]"),
        "{}",
        run.stdout
    );
    let root = bag.root.display().to_string();
    let json = crate::common::docseal(&["verify", "--bag-only", "--json", &root]).expect(1);
    assert!(
        !json.stdout.contains('\u{1b}') && !json.stdout.contains('\u{202e}'),
        "{}",
        json.stdout
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        paths.contains(&"data/\u{1b}[2Jred\u{202e}txt"),
        "the JSON still means the name: {paths:?}"
    );
}
