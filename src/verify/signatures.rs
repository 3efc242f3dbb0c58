//! Check 6, the signatures: minisign signatures over the exact bytes of
//! `tagmanifest-sha256.txt` (docs/FORMAT.md §6), by enough distinct keys
//! the reader trusts, each binding this bundle's identity in its trusted
//! comment.
//!
//! Rules (docs/SECURITY.md): anyone can add a file under `signatures/`, so
//! nothing found here makes intact content read as damaged; every
//! signature problem is a warning, and the check fails only when fewer than
//! the required number of distinct trusted keys (compared by their key
//! bytes, not their ids) made a valid signature that binds this bundle. A
//! key shipped in the bundle is never trusted: it only tells "valid but
//! untrusted" from "invalid".

use std::collections::{BTreeMap, BTreeSet};

use crate::bundle::{self, BagFile, OpenBundle, SIGNATURES_DIR};
use crate::manifest::BundleManifest;
use crate::minisign::{self, KeyId, PublicKey, Signature};
use crate::report::{Severity, SignatureReport, SignatureStatus};

use super::bag::{signer_of, Inventory};
use super::run::{read_code, Run};
use super::tag_files::TagBytes;

/// Checks every signature file over the tag manifest.
pub fn check(
    run: &mut Run<'_>,
    b: &OpenBundle,
    inv: &Inventory,
    tags: &TagBytes,
    m: Option<&BundleManifest>,
) {
    let mut embedded: BTreeMap<KeyId, PublicKey> = BTreeMap::new();
    let mut sigs: Vec<(KeyId, Signature)> = Vec::new();
    for f in &inv.signatures {
        read_file(run, b, f, &mut embedded, &mut sigs);
    }
    let Some(message) = &tags.tagmanifest else {
        run.skip(
            "signatures",
            "there is no tag manifest to check signatures against",
        );
        return;
    };
    if sigs.is_empty() {
        run.warn(
            "signature.none",
            Some(SIGNATURES_DIR.into()),
            "the bundle carries no signature",
        );
    }
    let expected_comment = m.map(BundleManifest::trusted_comment);
    let mut counted: BTreeSet<[u8; 32]> = BTreeSet::new();
    for (id, sig) in sigs {
        let (mut status, key) = check_one(run, id, &sig, message, embedded.get(&id));
        if let Some(want) = &expected_comment {
            if &sig.trusted_comment != want && status != SignatureStatus::Invalid {
                run.warn(
                    "signature.comment-mismatch",
                    Some(bundle::signature_file(id)),
                    format!(
                        "trusted comment {:?} does not bind this bundle (expected {:?}); the signature does not count",
                        sig.trusted_comment, want
                    ),
                );
                if status == SignatureStatus::ValidTrusted {
                    status = SignatureStatus::WrongComment;
                }
            }
        }
        if let (SignatureStatus::ValidTrusted, Some(k)) = (status, &key) {
            counted.insert(k.key.verifying_key().to_bytes());
        }
        run.signatures.push(SignatureReport {
            file: bundle::signature_file(id),
            key_id: id.to_string(),
            status,
            trusted_key: key.map(|k| k.origin.clone()),
            trusted_comment: Some(sig.trusted_comment.clone()),
            timestamps: Vec::new(),
        });
    }
    let threshold = run.opts.threshold.max(1);
    if counted.len() >= threshold {
        run.ran("signatures");
    } else {
        let why = format!(
            "{} of the {threshold} required signatures are by keys you trust{}",
            counted.len(),
            if run.opts.trusted.is_empty() {
                " (no --public-key or --keyring given)"
            } else {
                ""
            }
        );
        run.warn("signature.threshold-not-met", None, why.clone());
        run.fail("signatures", why);
    }
}

fn read_file(
    run: &mut Run<'_>,
    b: &OpenBundle,
    f: &BagFile,
    embedded: &mut BTreeMap<KeyId, PublicKey>,
    sigs: &mut Vec<(KeyId, Signature)>,
) {
    if crate::timestamp::parse_token_file(&f.rel).is_some() {
        return; // a timestamp token: crate::verify_timestamps reads it
    }
    let Some((id, is_sig)) = signer_of(&f.rel) else {
        return run.warn(
            "signature.unexpected-file",
            Some(f.rel.clone()),
            "signatures/ holds only KEYID.minisig, KEYID.pub and KEYID.N.tsr files; ignored",
        );
    };
    let text = match b
        .read_small(f, crate::bundle::MAX_SIGNATURE_FILE)
        .map(String::from_utf8)
    {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            return run.warn(
                "signature.unparseable",
                Some(f.rel.clone()),
                "not UTF-8 text",
            )
        }
        // A damaged zip entry is the container's failure, not a junk signature.
        Err(e) => {
            let code = read_code(&e, "signature.unparseable");
            let sev = if code.starts_with("zip.") {
                Severity::Error
            } else {
                Severity::Warning
            };
            return run.push(sev, code, Some(f.rel.clone()), e.to_string());
        }
    };
    if is_sig {
        read_signature(run, f, id, &text, sigs);
    } else {
        match PublicKey::parse(&text) {
            Ok(k) if k.key_id() != id => run.warn(
                "signature.misnamed",
                Some(f.rel.clone()),
                format!("file is named for key {id} but holds key {}", k.key_id()),
            ),
            Ok(k) if k.to_file_text() != text => non_canonical(
                run,
                f,
                "signer key file is not byte for byte in minisign's form",
            ),
            Ok(k) => {
                embedded.insert(id, k);
            }
            Err(e) => run.warn(
                "signature.bad-embedded-key",
                Some(f.rel.clone()),
                e.to_string(),
            ),
        }
    }
}

/// A signature or key file not in its canonical form: in a canonical zip the
/// container is then not as docseal writes it (every byte of a valid
/// canonical bundle is checked); elsewhere a warning.
fn non_canonical(run: &mut Run<'_>, f: &BagFile, why: &str) {
    if run.container == Some(crate::bundle::ContainerKind::CanonicalZip) {
        run.error("zip.non-canonical-signature-file", Some(f.rel.clone()), why);
    } else {
        run.warn("signature.non-canonical", Some(f.rel.clone()), why);
    }
}

fn read_signature(
    run: &mut Run<'_>,
    f: &BagFile,
    id: KeyId,
    text: &str,
    sigs: &mut Vec<(KeyId, Signature)>,
) {
    match Signature::parse(text) {
        Ok(sig) if sig.key_id != id => run.warn(
            "signature.misnamed",
            Some(f.rel.clone()),
            format!(
                "file is named for key {id} but holds a signature by key {}; ignored",
                sig.key_id
            ),
        ),
        Ok(sig) => {
            let canonical = sig.untrusted_comment == bundle::signature_untrusted_comment(id)
                && sig.to_file_text() == text;
            if !canonical {
                non_canonical(
                    run,
                    f,
                    "signature file is not byte for byte in docseal's canonical form",
                );
            }
            sigs.push((id, sig));
        }
        Err(e) => run.warn("signature.unparseable", Some(f.rel.clone()), e.to_string()),
    }
}

/// One signature: trusted keys first; the embedded key only tells
/// valid-but-untrusted from invalid. Returns the status and the trusted
/// key that verified it.
fn check_one<'k>(
    run: &mut Run<'k>,
    id: KeyId,
    sig: &Signature,
    message: &[u8],
    embedded: Option<&PublicKey>,
) -> (SignatureStatus, Option<&'k super::TrustedKey>) {
    let file = bundle::signature_file(id);
    let opts = run.opts;
    let mut tried = false;
    for t in opts.trusted.iter().filter(|t| t.key.key_id() == id) {
        tried = true;
        if let Some(e) = embedded.filter(|e| *e != &t.key) {
            run.warn(
                "signature.embedded-key-mismatch",
                Some(bundle::signer_key_file(e.key_id())),
                format!(
                    "the bundle's copy of key {id} differs from the trusted key {}",
                    t.origin
                ),
            );
        }
        if minisign::verify(&t.key, sig, message).is_ok() {
            return (SignatureStatus::ValidTrusted, Some(t));
        }
    }
    if tried {
        run.warn(
            "signature.invalid",
            Some(file),
            format!("does not verify with the trusted key {id}: the bundle was changed after this signature was made, or the signature file is damaged"),
        );
        return (SignatureStatus::Invalid, None);
    }
    match embedded.map(|k| minisign::verify(k, sig, message)) {
        Some(Ok(())) => {
            run.warn(
                "signature.untrusted-key",
                Some(file),
                format!("valid signature by key {id}, which you do not trust"),
            );
            (SignatureStatus::ValidUntrusted, None)
        }
        Some(Err(e)) => {
            run.warn(
                "signature.invalid",
                Some(file),
                format!("does not verify with the key {id} shipped beside it: {e}"),
            );
            (SignatureStatus::Invalid, None)
        }
        None => {
            run.warn(
                "signature.unknown-key",
                Some(file),
                format!(
                    "signature by key {id}, which you do not trust and the bundle does not carry"
                ),
            );
            (SignatureStatus::Unverifiable, None)
        }
    }
}

/// What the signature check covers, for the report.
pub const DETAIL: &str = "minisign signatures over tagmanifest-sha256.txt by keys you trust";
