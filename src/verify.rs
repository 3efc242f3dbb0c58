//! `verify`: the reader's question — is this exactly what the signer
//! published, and do its quotes match its sources?
//!
//! Order of work: open the container (strict canonical zip by default), take
//! inventory of the bag, verify the signatures over the small tag manifest,
//! check the tag files against it, parse and cross-check the manifests, then
//! stream the payload through SHA-256 (files in parallel), and finally
//! re-check citations. Every problem becomes a [`Finding`]; nothing here
//! returns an error, since a bad bundle is an answer, not a failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::bagit::{self, BagInfo, Manifest};
use crate::bagpath::{self, BagPath};
use crate::bundle::{
    self, BagFile, ContainerKind, OpenBundle, BAGIT_TXT, BAG_INFO, LISTED_TAG_FILES,
    MAX_TAG_FILE_BYTES, PAYLOAD_MANIFEST, SIGNATURES_DIR, TAG_MANIFEST,
};
use crate::container::Limits;
use crate::manifest::{self, BundleManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES};
use crate::minisign::{self, KeyId, PublicKey, Signature};
use crate::progress::Progress;
use crate::report::{
    Check, FileReport, Finding, Report, Severity, SignatureReport, SignatureStatus, Verdict, AREAS,
    REPORT_FORMAT, REPORT_VERSION,
};
use crate::time;

/// A public key the user trusts, with where it came from (for the report).
#[derive(Clone, Debug)]
pub struct TrustedKey {
    /// The key.
    pub key: PublicKey,
    /// Its file, as the user named it.
    pub origin: String,
}

/// How to verify.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Keys the user trusts. Keys inside the bundle are never trusted.
    pub trusted: Vec<TrustedKey>,
    /// How many distinct trusted keys must have signed (at least 1).
    pub threshold: usize,
    /// Accept a re-zipped bundle whose content and signatures verify.
    pub allow_repacked: bool,
    /// Resource limits for reading the container.
    pub limits: Limits,
    /// Fail when the bundle is older than, or of another lineage than, this one.
    pub not_older_than: Option<std::path::PathBuf>,
    /// Pinned TSA certificates, and whether a trusted timestamp is required.
    pub timestamps: crate::timestamp::TsaTrust,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trusted: Vec::new(),
            threshold: 1,
            allow_repacked: false,
            limits: Limits::default(),
            not_older_than: None,
            timestamps: Default::default(),
        }
    }
}

/// What verification established, for callers that go on to use the bundle (extract, history).
pub struct Verified {
    /// The report.
    pub report: Report,
    /// The opened bundle, when it could be opened.
    pub bundle: Option<OpenBundle>,
    /// The parsed manifest, when it was found intact.
    pub manifest: Option<BundleManifest>,
    /// SHA-256 of the tag manifest (the bundle's content digest), when present.
    pub tagmanifest_sha256: Option<[u8; 32]>,
}

/// Verifies the bundle (zip or unpacked folder) at `path`.
pub fn verify(path: &Path, opts: &VerifyOptions, progress: &dyn Progress) -> Verified {
    let mut v = Verifier::new(path, opts);
    let bundle = match OpenBundle::open(path, opts.allow_repacked, &opts.limits) {
        Ok(b) => b,
        Err(e) => {
            v.error(e.code, e.path, e.message);
            return v.finish(None, None, None);
        }
    };
    v.container = Some(bundle.kind);
    let inv = v.inventory(&bundle);
    let tags = v.tag_files(&bundle, &inv);
    let manifest = v.manifests(&tags);
    if let Some(m) = &manifest {
        v.check_root(&bundle, m);
    }
    v.signatures(&bundle, &inv, &tags, manifest.as_ref());
    crate::verify_timestamps::check(
        &mut v.findings,
        &mut v.signatures,
        &bundle,
        &inv.signatures,
        &opts.timestamps,
    );
    v.payload(&bundle, &inv, manifest.as_ref(), progress);
    if let Some(m) = &manifest {
        crate::verify_citations::check(&mut v.findings, &mut v.citations, &bundle, m);
    }
    let digest = tags.tagmanifest.as_ref().map(|b| Sha256::digest(b).into());
    if let (Some(m), Some(other)) = (&manifest, &opts.not_older_than) {
        v.findings
            .extend(crate::history::rollback_findings(m, digest, other, opts));
    }
    v.finish(Some(bundle), manifest, digest)
}

/// The bag's files sorted into their kinds.
#[derive(Default)]
struct Inventory {
    payload: Vec<BagFile>,
    tags: BTreeMap<String, BagFile>,
    signatures: Vec<BagFile>,
}

/// The tag files' bytes, once read.
#[derive(Default)]
struct TagBytes {
    tagmanifest: Option<Vec<u8>>,
    files: BTreeMap<&'static str, Vec<u8>>,
    /// Tag files whose bytes match the tag manifest.
    intact: BTreeSet<&'static str>,
}

struct Verifier<'a> {
    path: &'a Path,
    opts: &'a VerifyOptions,
    container: Option<ContainerKind>,
    findings: Vec<Finding>,
    signatures: Vec<SignatureReport>,
    files: Vec<FileReport>,
    citations: Vec<crate::report::CitationReport>,
}

impl<'a> Verifier<'a> {
    fn new(path: &'a Path, opts: &'a VerifyOptions) -> Self {
        Verifier {
            path,
            opts,
            container: None,
            findings: Vec::new(),
            signatures: Vec::new(),
            files: Vec::new(),
            citations: Vec::new(),
        }
    }

    fn push(&mut self, sev: Severity, code: &str, path: Option<String>, msg: impl Into<String>) {
        self.findings.push(Finding {
            code: code.to_owned(),
            severity: sev,
            path,
            message: msg.into(),
        });
    }

    fn error(&mut self, code: &str, path: Option<String>, msg: impl Into<String>) {
        self.push(Severity::Error, code, path, msg);
    }

    /// Sorts files into payload, tag files and signatures; checks names and order.
    fn inventory(&mut self, b: &OpenBundle) -> Inventory {
        let mut inv = Inventory::default();
        let mut paths = Vec::with_capacity(b.files.len());
        for f in &b.files {
            match BagPath::new(&f.rel) {
                Ok(p) => paths.push(p),
                Err(e) => self.error("bag.bad-name", Some(f.rel.clone()), e.to_string()),
            }
            if f.rel.starts_with("data/") {
                inv.payload.push(f.clone());
            } else if f.rel.starts_with("signatures/") {
                inv.signatures.push(f.clone());
            } else if f.rel == TAG_MANIFEST || LISTED_TAG_FILES.contains(&f.rel.as_str()) {
                inv.tags.insert(f.rel.clone(), f.clone());
            } else {
                self.error(
                    "bag.unexpected-file",
                    Some(f.rel.clone()),
                    "file is not part of a docseal bag (neither payload, tag file nor signature)",
                );
            }
        }
        if let Some((a, c)) = bagpath::find_collision(paths.iter()) {
            self.error(
                "bag.name-collision",
                Some(c.as_str().to_owned()),
                format!("collides with {:?} (same name, or equal up to case or Unicode normalisation, or a file where a folder is)", a.as_str()),
            );
        }
        if self.container == Some(ContainerKind::CanonicalZip) {
            self.check_order(b, &inv);
        }
        inv
    }

    fn check_order(&mut self, b: &OpenBundle, inv: &Inventory) {
        let payload: Vec<BagPath> = inv
            .payload
            .iter()
            .filter_map(|f| BagPath::new(&f.rel).ok())
            .collect();
        let mut signers: Vec<KeyId> = inv
            .signatures
            .iter()
            .filter_map(|f| signer_of(&f.rel).map(|(id, _)| id))
            .collect();
        signers.sort_unstable();
        signers.dedup();
        let tokens = crate::verify_timestamps::token_names(&inv.signatures);
        let actual: Vec<&str> = b.files.iter().map(|f| f.rel.as_str()).collect();
        let expected = bundle::canonical_order(&payload, &signers, &tokens);
        // A signer's .pub is optional (co-signatures made by stock minisign have none).
        let expected: Vec<&str> = expected
            .iter()
            .map(String::as_str)
            .filter(|n| !n.ends_with(".pub") || actual.contains(n))
            .collect();
        if actual != expected {
            let at = actual
                .iter()
                .zip(&expected)
                .position(|(a, e)| a != e)
                .unwrap_or(actual.len().min(expected.len()));
            self.error(
                "zip.non-canonical-order",
                actual.get(at).map(|s| (*s).to_owned()),
                format!(
                    "entry {} is not where the canonical order puts it (expected {:?})",
                    at + 1,
                    expected.get(at).copied().unwrap_or("no entry")
                ),
            );
        }
    }

    /// Reads bagit.txt and the tag manifest, and checks every listed tag file.
    fn tag_files(&mut self, b: &OpenBundle, inv: &Inventory) -> TagBytes {
        let mut out = TagBytes::default();
        for name in LISTED_TAG_FILES.iter().chain([&TAG_MANIFEST]) {
            let Some(f) = inv.tags.get(*name) else {
                self.error(
                    "bag.missing-tag-file",
                    Some((*name).to_owned()),
                    "required tag file is missing",
                );
                continue;
            };
            let max = if *name == MANIFEST_FILE {
                MAX_MANIFEST_BYTES
            } else {
                MAX_TAG_FILE_BYTES
            };
            match b.read_small(f, max) {
                Ok(bytes) if *name == TAG_MANIFEST => out.tagmanifest = Some(bytes),
                Ok(bytes) => {
                    out.files.insert(name, bytes);
                }
                Err(e) => self.error(
                    read_code(&e, "tag.unreadable"),
                    Some((*name).to_owned()),
                    e.to_string(),
                ),
            }
        }
        if let Some(bytes) = out.files.get(BAGIT_TXT) {
            if let Err(e) = bagit::check_bagit_txt(bytes) {
                self.error("bag.bagit-txt", Some(BAGIT_TXT.into()), e.to_string());
            }
        }
        let Some(tm) = &out.tagmanifest else {
            return out;
        };
        let listed = match Manifest::parse(tm) {
            Ok(m) => m,
            Err(e) => {
                self.error(
                    "tag.manifest-unparseable",
                    Some(TAG_MANIFEST.into()),
                    e.to_string(),
                );
                return out;
            }
        };
        if tm.as_slice() != listed.to_text().as_bytes() {
            self.error(
                "tag.manifest-non-canonical",
                Some(TAG_MANIFEST.into()),
                "not in canonical form (sorted, lowercase hex, two spaces, LF)",
            );
        }
        let mut intact = BTreeSet::new();
        for name in LISTED_TAG_FILES {
            let expected = BagPath::new(name)
                .ok()
                .and_then(|p| listed.get(&p).copied());
            match (expected, out.files.get(name)) {
                (None, _) => self.error(
                    "tag.unlisted-file",
                    Some(name.into()),
                    "tag file is not listed in the tag manifest",
                ),
                (Some(_), None) => {}
                (Some(want), Some(bytes)) => {
                    let got: [u8; 32] = Sha256::digest(bytes).into();
                    if got == want {
                        intact.insert(name);
                    } else {
                        self.error(
                            "tag.hash-mismatch",
                            Some(name.into()),
                            format!(
                                "SHA-256 is {}, tag manifest says {}",
                                manifest::hex(&got),
                                manifest::hex(&want)
                            ),
                        );
                    }
                }
            }
        }
        for (p, _) in &listed.entries {
            if !LISTED_TAG_FILES.contains(&p.as_str()) {
                self.error(
                    "tag.unexpected-entry",
                    Some(p.as_str().to_owned()),
                    "tag manifest lists a file that is not a docseal tag file",
                );
            }
        }
        out.intact = intact;
        out
    }

    /// In a zip, the bag's top-level folder is the name the signer gave it
    /// (an unpacked folder may have been renamed by whoever unzipped it).
    fn check_root(&mut self, b: &OpenBundle, m: &BundleManifest) {
        if b.kind != ContainerKind::Folder && b.root != m.bundle.name {
            self.error(
                "bag.root-mismatch",
                Some(b.root.clone()),
                format!(
                    "the top-level folder is not the bundle's name {:?}",
                    m.bundle.name
                ),
            );
        }
    }

    /// Parses docseal.json, manifest-sha256.txt and bag-info.txt and cross-checks them.
    fn manifests(&mut self, tags: &TagBytes) -> Option<BundleManifest> {
        let m = match tags
            .files
            .get(MANIFEST_FILE)
            .map(|b| BundleManifest::parse(b))
        {
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                self.error("manifest.unparseable", Some(MANIFEST_FILE.into()), e);
                return None;
            }
            None => return None,
        };
        if let Some(bytes) = tags.files.get(PAYLOAD_MANIFEST) {
            match Manifest::parse(bytes) {
                Ok(pm) => self.cross_check(&m, &pm, bytes),
                Err(e) => self.error(
                    "payload.manifest-unparseable",
                    Some(PAYLOAD_MANIFEST.into()),
                    e.to_string(),
                ),
            }
        }
        if let Some(bytes) = tags.files.get(BAG_INFO) {
            match BagInfo::parse(bytes) {
                Ok(info) => self.check_bag_info(&m, &info, bytes),
                Err(e) => self.error("bag.info-unparseable", Some(BAG_INFO.into()), e.to_string()),
            }
        }
        Some(m)
    }

    fn cross_check(&mut self, m: &BundleManifest, pm: &Manifest, bytes: &[u8]) {
        if bytes != pm.to_text().as_bytes() {
            self.error(
                "payload.manifest-non-canonical",
                Some(PAYLOAD_MANIFEST.into()),
                "not in canonical form (sorted, lowercase hex, two spaces, LF)",
            );
        }
        let json: BTreeMap<&str, &str> = m
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.sha256.as_str()))
            .collect();
        if json.len() != m.files.len() {
            self.error(
                "manifest.duplicate-file",
                Some(MANIFEST_FILE.into()),
                "docseal.json lists a file twice",
            );
        }
        for (p, digest) in &pm.entries {
            if !p.as_str().starts_with("data/") {
                self.error(
                    "payload.not-payload",
                    Some(p.as_str().to_owned()),
                    "payload manifest lists a file outside data/",
                );
            }
            match json.get(p.as_str()) {
                Some(h) if *h == manifest::hex(digest) => {}
                Some(_) => self.error(
                    "manifest.disagrees",
                    Some(p.as_str().to_owned()),
                    "docseal.json and manifest-sha256.txt give different SHA-256",
                ),
                None => self.error(
                    "manifest.disagrees",
                    Some(p.as_str().to_owned()),
                    "listed in manifest-sha256.txt but not in docseal.json",
                ),
            }
        }
        let listed = pm.to_map();
        for f in &m.files {
            if !listed.contains_key(&f.path) {
                self.error(
                    "manifest.disagrees",
                    Some(f.path.as_str().to_owned()),
                    "listed in docseal.json but not in manifest-sha256.txt",
                );
            }
        }
    }

    fn check_bag_info(&mut self, m: &BundleManifest, info: &BagInfo, bytes: &[u8]) {
        match crate::pack::bag_info(m) {
            Ok(expected) if expected.as_bytes() == bytes => {}
            Ok(_) => {
                let b = &m.bundle;
                let which = [
                    ("External-Identifier", b.identifier.clone()),
                    ("Bagging-Date", time::date_part(&b.created).to_owned()),
                    ("Docseal-Version", b.version.to_string()),
                ]
                .into_iter()
                .find(|(label, want)| info.get(label) != Some(want.as_str()))
                .map(|(label, _)| label)
                .unwrap_or("Payload-Oxum or another field");
                self.error(
                    "bag.info-mismatch",
                    Some(BAG_INFO.into()),
                    format!("bag-info.txt disagrees with docseal.json ({which})"),
                );
            }
            Err(e) => self.error("bag.info-mismatch", Some(BAG_INFO.into()), e),
        }
    }

    /// Checks every signature file over the tag manifest.
    fn signatures(
        &mut self,
        b: &OpenBundle,
        inv: &Inventory,
        tags: &TagBytes,
        m: Option<&BundleManifest>,
    ) {
        let mut embedded: BTreeMap<KeyId, PublicKey> = BTreeMap::new();
        let mut sigs: Vec<(KeyId, Signature)> = Vec::new();
        for f in &inv.signatures {
            self.read_signature_file(b, f, &mut embedded, &mut sigs);
        }
        if sigs.is_empty() {
            self.error(
                "signature.none",
                Some(SIGNATURES_DIR.into()),
                "the bundle carries no signature",
            );
        }
        let Some(message) = &tags.tagmanifest else {
            return;
        };
        let expected_comment = m.map(BundleManifest::trusted_comment);
        for (id, sig) in sigs {
            let status = self.check_one(id, &sig, message, embedded.get(&id));
            if let Some(want) = &expected_comment {
                if &sig.trusted_comment != want && status.0 != SignatureStatus::Invalid {
                    self.error(
                        "signature.comment-mismatch",
                        Some(bundle::signature_file(id)),
                        format!(
                            "trusted comment {:?} does not bind this bundle (expected {:?})",
                            sig.trusted_comment, want
                        ),
                    );
                }
            }
            self.signatures.push(SignatureReport {
                key_id: id.to_string(),
                status: status.0,
                trusted_key: status.1,
                trusted_comment: Some(sig.trusted_comment.clone()),
                timestamps: Vec::new(),
            });
        }
    }

    fn read_signature_file(
        &mut self,
        b: &OpenBundle,
        f: &BagFile,
        embedded: &mut BTreeMap<KeyId, PublicKey>,
        sigs: &mut Vec<(KeyId, Signature)>,
    ) {
        if crate::timestamp::parse_token_file(&f.rel).is_some() {
            return; // read by verify_timestamps
        }
        let Some((id, is_sig)) = signer_of(&f.rel) else {
            self.error(
                "signature.unexpected-file",
                Some(f.rel.clone()),
                "signatures/ holds only KEYID.minisig, KEYID.pub and KEYID.N.tsr files",
            );
            return;
        };
        let text = match b
            .read_small(f, crate::keys::MAX_KEY_FILE)
            .map(String::from_utf8)
        {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                return self.error(
                    "signature.unparseable",
                    Some(f.rel.clone()),
                    "not UTF-8 text",
                )
            }
            Err(e) => {
                return self.error(
                    read_code(&e, "signature.unparseable"),
                    Some(f.rel.clone()),
                    e.to_string(),
                )
            }
        };
        if is_sig {
            match Signature::parse(&text) {
                Ok(sig) if sig.key_id != id => self.error(
                    "signature.misnamed",
                    Some(f.rel.clone()),
                    format!(
                        "file is named for key {id} but holds a signature by key {}",
                        sig.key_id
                    ),
                ),
                Ok(sig) => {
                    let canonical = sig.untrusted_comment
                        == bundle::signature_untrusted_comment(id)
                        && sig.to_file_text() == text;
                    if !canonical {
                        self.error(
                            "signature.non-canonical",
                            Some(f.rel.clone()),
                            "signature file is not byte for byte in docseal's canonical form",
                        );
                    }
                    sigs.push((id, sig));
                }
                Err(e) => self.error("signature.unparseable", Some(f.rel.clone()), e.to_string()),
            }
        } else {
            match PublicKey::parse(&text) {
                Ok(k) if k.key_id() != id => self.error(
                    "signature.misnamed",
                    Some(f.rel.clone()),
                    format!("file is named for key {id} but holds key {}", k.key_id()),
                ),
                Ok(k) if k.to_file_text() != text => self.error(
                    "signature.non-canonical",
                    Some(f.rel.clone()),
                    "signer key file is not byte for byte in minisign's form",
                ),
                Ok(k) => {
                    embedded.insert(id, k);
                }
                Err(e) => self.error(
                    "signature.bad-embedded-key",
                    Some(f.rel.clone()),
                    e.to_string(),
                ),
            }
        }
    }

    /// One signature: trusted keys first; the embedded key only tells valid-but-untrusted from invalid.
    fn check_one(
        &mut self,
        id: KeyId,
        sig: &Signature,
        message: &[u8],
        embedded: Option<&PublicKey>,
    ) -> (SignatureStatus, Option<String>) {
        let file = bundle::signature_file(id);
        let trusted = self.opts.trusted.iter().find(|t| t.key.key_id() == id);
        if let Some(t) = trusted {
            if let Some(e) = embedded {
                if e != &t.key {
                    self.error(
                        "signature.embedded-key-mismatch",
                        Some(bundle::signer_key_file(id)),
                        format!(
                            "the bundle's copy of key {id} differs from the trusted key {}",
                            t.origin
                        ),
                    );
                }
            }
            return match minisign::verify(&t.key, sig, message) {
                Ok(()) => (SignatureStatus::ValidTrusted, Some(t.origin.clone())),
                Err(e) => {
                    self.error(
                        "signature.invalid",
                        Some(file),
                        format!("does not verify with trusted key {id} ({}): {e}", t.origin),
                    );
                    (SignatureStatus::Invalid, Some(t.origin.clone()))
                }
            };
        }
        match embedded.map(|k| minisign::verify(k, sig, message)) {
            Some(Ok(())) => {
                self.push(
                    Severity::Warning,
                    "signature.untrusted-key",
                    Some(file),
                    format!("valid signature by key {id}, which you do not trust"),
                );
                (SignatureStatus::ValidUntrusted, None)
            }
            Some(Err(e)) => {
                self.error(
                    "signature.invalid",
                    Some(file),
                    format!("does not verify with the key {id} shipped beside it: {e}"),
                );
                (SignatureStatus::Invalid, None)
            }
            None => {
                self.push(Severity::Warning, "signature.unknown-key", Some(file), format!("signature by key {id}, which you do not trust and the bundle does not carry"));
                (SignatureStatus::Unverifiable, None)
            }
        }
    }

    /// Streams every payload file through SHA-256 and compares with the manifests.
    fn payload(
        &mut self,
        b: &OpenBundle,
        inv: &Inventory,
        m: Option<&BundleManifest>,
        progress: &dyn Progress,
    ) {
        let Some(m) = m else { return };
        let listed: BTreeMap<&str, &manifest::FileRecord> =
            m.files.iter().map(|f| (f.path.as_str(), f)).collect();
        let present: BTreeSet<&str> = inv.payload.iter().map(|f| f.rel.as_str()).collect();
        for f in &m.files {
            if !present.contains(f.path.as_str()) {
                self.error(
                    "payload.missing-file",
                    Some(f.path.as_str().to_owned()),
                    "listed in the manifest but not in the bundle",
                );
            }
        }
        let todo: Vec<&BagFile> = inv
            .payload
            .iter()
            .filter(|f| listed.contains_key(f.rel.as_str()))
            .collect();
        for f in inv
            .payload
            .iter()
            .filter(|f| !listed.contains_key(f.rel.as_str()))
        {
            self.error(
                "payload.unlisted-file",
                Some(f.rel.clone()),
                "file under data/ is not listed in the manifest",
            );
        }
        let total: u64 = todo.iter().map(|f| f.size).sum();
        progress.start("verifying", total, todo.len() as u64);
        let results: Vec<(usize, HashResult)> = todo
            .par_iter()
            .enumerate()
            .map(|(i, f)| (i, hash_entry(b, f, progress)))
            .collect();
        progress.finish();
        let mut ok_paths = BTreeSet::new();
        for (i, r) in results {
            let Some(f) = todo.get(i) else { continue };
            let Some(rec) = listed.get(f.rel.as_str()) else {
                continue;
            };
            match r {
                Ok((size, digest)) if size == rec.size && manifest::hex(&digest) == rec.sha256 => {
                    ok_paths.insert(f.rel.clone());
                }
                Ok((size, _)) if size != rec.size => self.error(
                    "payload.size-mismatch",
                    Some(f.rel.clone()),
                    format!("{size} bytes, the manifest says {}", rec.size),
                ),
                Ok((_, digest)) => self.error(
                    "payload.hash-mismatch",
                    Some(f.rel.clone()),
                    format!(
                        "SHA-256 is {}, the manifest says {}",
                        manifest::hex(&digest),
                        rec.sha256
                    ),
                ),
                Err((code, e)) => self.error(code, Some(f.rel.clone()), e),
            }
        }
        self.files = m
            .files
            .iter()
            .map(|f| FileReport {
                path: f.path.as_str().to_owned(),
                role: f.role.as_str().to_owned(),
                size: f.size,
                sha256: f.sha256.clone(),
                title: f.title.clone(),
                ok: ok_paths.contains(f.path.as_str()),
            })
            .collect();
    }

    fn finish(
        mut self,
        bundle: Option<OpenBundle>,
        manifest: Option<BundleManifest>,
        digest: Option<[u8; 32]>,
    ) -> Verified {
        let trusted_signers: BTreeSet<&str> = self
            .signatures
            .iter()
            .filter(|s| s.status == SignatureStatus::ValidTrusted)
            .filter(|s| crate::verify_timestamps::counts(s, &self.opts.timestamps))
            .map(|s| s.key_id.as_str())
            .collect();
        let threshold = self.opts.threshold.max(1);
        let enough = trusted_signers.len() >= threshold;
        let has_errors = self.findings.iter().any(|f| f.severity == Severity::Error);
        let verdict = match (has_errors, enough) {
            (true, _) => Verdict::Invalid,
            (false, false) => Verdict::Untrusted,
            (false, true) => Verdict::Valid,
        };
        if !has_errors && !enough {
            let msg = format!(
                "{} of the {threshold} required signatures are by keys you trust{}",
                trusted_signers.len(),
                if self.opts.trusted.is_empty() {
                    " (no --public-key or --keyring given)"
                } else {
                    ""
                }
            );
            self.push(Severity::Warning, "signature.threshold-not-met", None, msg);
        }
        self.findings.sort_by_key(|f| f.severity);
        let checks = checks(
            &self.signatures,
            &self.findings,
            self.container,
            &self.citations,
            self.opts.not_older_than.is_some(),
        );
        let not_checked =
            crate::verify_timestamps::not_checked(not_checked(self.container), &self.signatures);
        let report = Report {
            format: REPORT_FORMAT,
            format_version: REPORT_VERSION,
            bundle: self.path.display().to_string(),
            verdict,
            container: self.container,
            threshold,
            identity: manifest.as_ref().map(|m| m.bundle.clone()),
            signatures: self.signatures,
            files: self.files,
            citations: self.citations,
            checks,
            findings: self.findings,
            not_checked,
        };
        Verified {
            report,
            bundle,
            manifest,
            tagmanifest_sha256: digest,
        }
    }
}

/// `signatures/<KEYID>.minisig` → (id, true); `signatures/<KEYID>.pub` → (id, false).
fn signer_of(rel: &str) -> Option<(KeyId, bool)> {
    let name = rel.strip_prefix("signatures/")?;
    if let Some(id) = name.strip_suffix(".minisig") {
        return id
            .parse()
            .ok()
            .filter(|k: &KeyId| k.to_string() == id)
            .map(|k| (k, true));
    }
    let id = name.strip_suffix(".pub")?;
    id.parse()
        .ok()
        .filter(|k: &KeyId| k.to_string() == id)
        .map(|k| (k, false))
}

/// Length and SHA-256 of an entry, or the finding code and message of a read failure.
type HashResult = Result<(u64, [u8; 32]), (&'static str, String)>;

/// SHA-256 and length of one entry, read as a stream with a fixed buffer.
pub fn hash_entry(b: &OpenBundle, f: &BagFile, progress: &dyn Progress) -> HashResult {
    let mut reader = b.reader(f).map_err(read_error)?;
    crate::hashing::sha256_auto(&mut reader, f.size, progress).map_err(read_error)
}

/// A read error as a finding: the container's own code (e.g. `zip.crc-mismatch`) when it has one.
fn read_error(e: std::io::Error) -> (&'static str, String) {
    (read_code(&e, "payload.unreadable"), e.to_string())
}

/// The container's code for a read error (e.g. `zip.crc-mismatch`), else `default`.
fn read_code(e: &std::io::Error, default: &'static str) -> &'static str {
    crate::container::Error::from_io(e).map_or(default, crate::container::Error::code)
}

fn checks(
    signatures: &[SignatureReport],
    findings: &[Finding],
    container: Option<ContainerKind>,
    citations: &[crate::report::CitationReport],
    history: bool,
) -> Vec<Check> {
    AREAS
        .iter()
        .map(|(area, prefixes)| {
            let failed = findings.iter().any(|f| {
                f.severity == Severity::Error && prefixes.iter().any(|p| f.code.starts_with(p))
            });
            let detail = match *area {
                "container" => match container {
                    Some(ContainerKind::CanonicalZip) => {
                        "canonical zip: every header byte and the entry order checked"
                    }
                    Some(ContainerKind::RepackedZip) => {
                        "re-zipped bundle accepted (--allow-repacked): zip layout not checked"
                    }
                    Some(ContainerKind::Folder) => {
                        "unpacked folder: the zip container was not checked"
                    }
                    None => "could not be read",
                },
                "bag" => "BagIt 1.0 layout, bagit.txt and bag-info.txt",
                "tag-files" => "tag files match tagmanifest-sha256.txt",
                "payload" => "every payload file listed, present, and its SHA-256 matches",
                "manifest" => "docseal.json agrees with manifest-sha256.txt",
                "signatures" => "minisign signatures over tagmanifest-sha256.txt",
                "timestamps" => {
                    "RFC 3161 tokens over the signature files, against pinned TSA certificates"
                }
                "citations" if citations.is_empty() => "no citations in this bundle",
                "citations" => "quotations stand in their sources where the manifest says",
                _ => "not older than the bundle given with --not-older-than",
            };
            let status = if failed {
                "failed"
            } else if (*area == "container" && container == Some(ContainerKind::Folder))
                || (*area == "history" && !history)
                || (*area == "timestamps"
                    && !crate::verify_timestamps::any_token(findings, signatures))
            {
                "not-checked"
            } else {
                "ok"
            };
            Check {
                area,
                status,
                detail: detail.to_owned(),
            }
        })
        .collect()
}

fn not_checked(container: Option<ContainerKind>) -> Vec<String> {
    let mut v = vec![
        "that a trusted key belongs to the person or organisation it is said to belong to".to_owned(),
        "that the sources are authentic copies of the originals (only that they are the bytes the signer packed)".to_owned(),
        "that this is the newest version of the bundle (use --not-older-than)".to_owned(),
        "the signing time (the created date is the signer's claim)".to_owned(),
    ];
    match container {
        Some(ContainerKind::Folder) => v.insert(
            0,
            "the zip container (an unpacked folder was verified)".to_owned(),
        ),
        Some(ContainerKind::RepackedZip) => v.insert(
            0,
            "the zip container's byte layout (--allow-repacked)".to_owned(),
        ),
        _ => {}
    }
    v
}
