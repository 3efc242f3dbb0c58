//! Interoperability with the stock C minisign (run as a process on temporary
//! files) and property tests of signing and verification.
//!
//! A missing `minisign` fails these tests when `CI` is set and skips them
//! with a note on stderr otherwise.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;

use super::{verify, Error, KdfParams, PublicKey, SecretKey, SecretKeyFile, Signature};

/// A cost minisign accepts that takes about a millisecond (N = 2^10).
const CHEAP: KdfParams = KdfParams {
    opslimit: 32_768,
    memlimit: 16_777_216,
};

/// Whether stock minisign can be run; panics under CI when it cannot.
fn have_minisign() -> bool {
    let found = Command::new("minisign").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "minisign is not installed but CI is set"
        );
        eprintln!("skipped: minisign is not installed");
    }
    found
}

/// Runs minisign in `dir` with `stdin` fed in.
fn minisign(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new("minisign")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn minisign");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for minisign")
}

/// Checks a `.pub` file stock minisign wrote against docseal's form of the
/// key: identical, or (minisign 0.11, ids starting with a zero digit) with
/// the key id in the comment printed by `%lX`.
fn assert_same_pub_file(minisign_text: &str, key: &PublicKey) {
    let ours = key.to_file_text();
    let unpadded = ours.replace(
        &key.key_id().to_string(),
        &format!("{:X}", u64::from_le_bytes(key.key_id().0)),
    );
    assert!(
        minisign_text == ours || minisign_text == unpadded,
        "{minisign_text:?} vs {ours:?}"
    );
}

fn assert_ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn stock_minisign_verifies_docseal_keys_and_signatures() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = SecretKey::generate().unwrap();
    std::fs::write(d.join("k.pub"), key.public_key().to_file_text()).unwrap();
    std::fs::write(d.join("m.txt"), b"a message\n").unwrap();
    let long = "t".repeat(super::MAX_TRUSTED_COMMENT);
    for (i, tc) in ["docseal\ttab and \u{e9}", "", long.as_str()]
        .iter()
        .enumerate()
    {
        let sig = key.sign(b"a message\n", tc, "docseal signature").unwrap();
        let name = format!("m{i}.minisig");
        std::fs::write(d.join(&name), sig.to_file_text()).unwrap();
        let o = minisign(d, &["-V", "-p", "k.pub", "-m", "m.txt", "-x", &name], "");
        assert_ok(&o, "minisign -V");
        let shown = String::from_utf8_lossy(&o.stdout);
        assert!(
            shown.contains(&format!("Trusted comment: {tc}\n")),
            "{shown}"
        );
        // -P takes the bare base64 form.
        let o = minisign(
            d,
            &[
                "-V",
                "-P",
                &key.public_key().to_base64(),
                "-m",
                "m.txt",
                "-x",
                &name,
            ],
            "",
        );
        assert_ok(&o, "minisign -V -P");
    }
    // A tampered message fails in minisign too, so the check above can fail.
    std::fs::write(d.join("m.txt"), b"a massage\n").unwrap();
    let o = minisign(
        d,
        &["-V", "-p", "k.pub", "-m", "m.txt", "-x", "m0.minisig"],
        "",
    );
    assert!(!o.status.success());
}

#[test]
fn stock_minisign_signs_with_docseal_secret_keys() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = SecretKey::generate().unwrap();
    std::fs::write(d.join("m.txt"), b"to sign\n").unwrap();
    let ours = key
        .sign(
            b"to sign\n",
            "by minisign",
            "signature from minisign secret key",
        )
        .unwrap();
    let files = [
        (
            "enc.key",
            key.to_file_text(Some(b"pass phrase"), CHEAP).unwrap(),
            "pass phrase\n",
        ),
        ("plain.key", key.to_file_text(None, CHEAP).unwrap(), ""),
    ];
    for (name, text, stdin) in files {
        std::fs::write(d.join(name), text).unwrap();
        let o = minisign(
            d,
            &["-S", "-s", name, "-m", "m.txt", "-t", "by minisign"],
            stdin,
        );
        assert_ok(&o, name);
        let made = std::fs::read_to_string(d.join("m.txt.minisig")).unwrap();
        // Deterministic Ed25519: minisign's file is ours byte for byte.
        assert_eq!(made, ours.to_file_text(), "{name}");
        let sig = Signature::parse(&made).unwrap();
        assert_eq!(verify(&key.public_key(), &sig, b"to sign\n"), Ok(()));
    }
    // minisign rejects the wrong passphrase for the same file: the
    // encryption really is minisign's.
    let o = minisign(d, &["-S", "-s", "enc.key", "-m", "m.txt"], "wrong\n");
    assert!(!o.status.success());
    // minisign -R recreates our public key file byte for byte.
    let o = minisign(d, &["-R", "-s", "plain.key", "-p", "re.pub"], "");
    assert_ok(&o, "minisign -R");
    let re = std::fs::read_to_string(d.join("re.pub")).unwrap();
    assert_same_pub_file(&re, &key.public_key());
}

#[test]
fn keys_stock_minisign_makes_now_are_read() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("m.txt"), b"x").unwrap();
    // Several keys, so that (with odds 1 - (15/16)^24 ≈ 0.8) one key id
    // has a leading zero, which minisign 0.11 drops in the .pub comment
    // (the file must still parse to the same key).
    for _ in 0..24 {
        let o = minisign(d, &["-G", "-W", "-f", "-p", "n.pub", "-s", "n.key"], "");
        assert_ok(&o, "minisign -G -W");
        let key_text = std::fs::read_to_string(d.join("n.key")).unwrap();
        let pub_text = std::fs::read_to_string(d.join("n.pub")).unwrap();
        let file = SecretKeyFile::parse(&key_text).unwrap();
        let key = file.unlock(None).unwrap();
        assert_same_pub_file(&pub_text, &key.public_key());
        assert_eq!(
            key.to_file_text(None, KdfParams::default()).unwrap(),
            key_text
        );
        let o = minisign(
            d,
            &["-S", "-s", "n.key", "-m", "m.txt", "-c", "uc", "-t", "tc"],
            "",
        );
        assert_ok(&o, "minisign -S");
        let made = std::fs::read_to_string(d.join("m.txt.minisig")).unwrap();
        let sig = Signature::parse(&made).unwrap();
        let public = PublicKey::parse(&pub_text).unwrap();
        assert_eq!(public, key.public_key());
        assert_eq!(verify(&public, &sig, b"x"), Ok(()));
        assert_eq!(sig.to_file_text(), made);
    }
}

/// Comments docseal accepts: printable ASCII with tabs, or any non-control text.
fn comment() -> impl Strategy<Value = String> {
    prop_oneof!["[\t -~]{0,40}", "[^\\p{Cc}]{0,20}"]
}

/// One key for every case: generation is not what these tests are about.
fn key() -> &'static SecretKey {
    static KEY: std::sync::OnceLock<SecretKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| SecretKey::generate().expect("random"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn sign_then_verify_round_trips(
        message in proptest::collection::vec(any::<u8>(), 0..512),
        trusted in comment(),
        untrusted in comment(),
    ) {
        let k = key();
        let sig = k.sign(&message, &trusted, &untrusted).unwrap();
        let text = sig.to_file_text();
        let parsed = Signature::parse(&text).unwrap();
        prop_assert_eq!(&parsed, &sig);
        prop_assert_eq!(parsed.to_file_text(), text);
        prop_assert_eq!(verify(&k.public_key(), &parsed, &message), Ok(()));
        let mut other = message.clone();
        other.push(0);
        prop_assert_eq!(verify(&k.public_key(), &parsed, &other), Err(Error::BadSignature));
    }

    #[test]
    fn a_single_byte_mutation_never_verifies(
        message in proptest::collection::vec(any::<u8>(), 0..64),
        trusted in "[\t -~]{0,24}",
        untrusted in "[\t -~]{0,24}",
        pos in any::<prop::sample::Index>(),
        byte in 0u8..=127,
    ) {
        let k = key();
        let sig = k.sign(&message, &trusted, &untrusted).unwrap();
        let mut bytes = sig.to_file_text().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let text = String::from_utf8(bytes).unwrap();
        // Only the untrusted comment is signed by nothing: a change there
        // may verify, but then nothing else changed.
        let comment_end = "untrusted comment: ".len() + untrusted.len();
        let result = Signature::parse(&text).map(|s| (verify(&k.public_key(), &s, &message), s));
        if let Ok((Ok(()), s)) = result {
            prop_assert!((19..comment_end).contains(&i), "mutation at {} verified", i);
            prop_assert_eq!(s.with_untrusted_comment(&untrusted).unwrap(), sig);
        }
    }

    #[test]
    fn parsers_never_panic_on_damaged_files(
        which in 0usize..4,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..4),
    ) {
        let k = key();
        let texts = [
            k.public_key().to_file_text(),
            k.to_file_text(None, CHEAP).unwrap(),
            k.to_file_text(Some(b"pw"), CHEAP).unwrap(),
            k.sign(b"m", "t", "u").unwrap().to_file_text(),
        ];
        let mut chars: Vec<char> = texts[which].chars().collect();
        for (at, c) in edits {
            let i = at.index(chars.len() + 1);
            if i == chars.len() { chars.push(c) } else { chars[i] = c }
        }
        let text: String = chars.into_iter().collect();
        let _ = PublicKey::parse(&text);
        let _ = Signature::parse(&text).map(|s| verify(&k.public_key(), &s, b"m"));
        if let Ok(f) = SecretKeyFile::parse(&text) {
            let _ = f.unlock(Some(b"pw"));
        }
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_text(text in "\\PC{0,300}|[A-Za-z0-9+/=\n:. ]{0,300}") {
        let _ = PublicKey::parse(&text);
        let _ = Signature::parse(&text);
        let _ = SecretKeyFile::parse(&text).map(|f| f.is_encrypted());
    }
}
