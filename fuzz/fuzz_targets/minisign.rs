//! minisign files (public keys, secret key files, signatures) from raw
//! text. Must never panic; whatever parses must survive a round trip
//! through its file form; a parsed signature is checked against the seed
//! key. Encrypted secret keys are never unlocked: scrypt at minisign's cost
//! would make every such input a timeout, and the KDF is not a parser.

#![no_main]

use docseal::minisign::{self, KdfParams, PublicKey, SecretKeyFile, Signature};
use libfuzzer_sys::fuzz_target;

/// The key `make-seeds.sh` made; signatures are verified against it.
const SEED_PUB: &str = include_str!("../seeds/minisign/seed.pub");

fn public_key(text: &str) {
    let Ok(pk) = PublicKey::parse(text) else {
        return;
    };
    let again = PublicKey::parse(&pk.to_file_text()).expect("to_file_text parses back");
    assert_eq!(again, pk, "public key round trip");
    let b64 = PublicKey::from_base64(&pk.to_base64()).expect("to_base64 parses back");
    assert_eq!(b64, pk, "public key base64 round trip");
    assert_eq!(pk.key_id(), again.key_id());
}

fn secret_key(text: &str) {
    let Ok(file) = SecretKeyFile::parse(text) else {
        return;
    };
    let _ = format!("{file:?}");
    let _ = (file.key_id(), file.kdf_params(), file.untrusted_comment());
    if file.is_encrypted() {
        return;
    }
    let Ok(key) = file.unlock(None) else {
        return;
    };
    assert_eq!(
        file.key_id(),
        Some(key.key_id()),
        "key id before and after unlock"
    );
    // Without a passphrase the KDF parameters are ignored: no scrypt runs.
    let text = key
        .to_file_text(None, KdfParams::default())
        .expect("an unlocked key writes");
    let again = SecretKeyFile::parse(&text).expect("to_file_text parses back");
    assert!(!again.is_encrypted());
    let key2 = again.unlock(None).expect("a written key unlocks");
    assert_eq!(key2.key_id(), key.key_id(), "secret key id round trip");
    assert_eq!(key2.public_key(), key.public_key(), "secret key round trip");
}

fn signature(text: &str, data: &[u8]) {
    let Ok(sig) = Signature::parse(text) else {
        return;
    };
    let again = Signature::parse(&sig.to_file_text()).expect("to_file_text parses back");
    assert_eq!(again, sig, "signature round trip");
    let seed = PublicKey::parse(SEED_PUB).expect("seeds/minisign/seed.pub parses");
    let _ = minisign::verify(&seed, &sig, data);
    if let Ok(other) = sig.with_untrusted_comment("fuzz") {
        let _ = Signature::parse(&other.to_file_text()).expect("a re-commented signature parses");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    public_key(text);
    secret_key(text);
    signature(text, data);
});
