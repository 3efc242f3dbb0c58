//! Check 1, the container: the zip was read (strictly, byte for byte
//! against docseal's canonical layout, unless `--allow-repacked`), and its
//! entries stand in the canonical order (docs/FORMAT.md §3).
//!
//! The reader itself ([`crate::container`]) refuses anything that another
//! zip reader could read differently; what is left here is the order of
//! entries, which only the bag's inventory can tell.

use crate::bagpath::BagPath;
use crate::bundle::{self, ContainerKind, OpenBundle, OpenError};
use crate::minisign::KeyId;

use super::bag::{signer_of, Inventory};
use super::run::Run;

/// The bundle could not be opened: the zip itself is bad (container
/// failed), or it is a good zip but not one bag (bag failed). `rezipped`:
/// the lenient reader would read it, so say how to check its content.
pub fn open_failed(run: &mut Run<'_>, e: OpenError, ctx: &super::Context<'_>) {
    if ctx.folder {
        run.skip("container", FOLDER);
    } else if !(e.code.starts_with("zip.") || e.code.starts_with("io.")) {
        // The zip (or folder) was read: it holds no single bag.
        run.ran("container");
    }
    run.error(e.code, e.path, e.message);
    if ctx.rezipped {
        run.push(
            crate::report::Severity::Info,
            REZIPPED,
            None,
            "re-packed by another tool (not the signer's zip byte for byte): --allow-repacked checks its content",
        );
    }
}

/// Why a folder's container check does not run.
const FOLDER: &str = "an unpacked folder has no zip container to check";

/// The note on a zip that only the lenient reader reads.
pub const REZIPPED: &str = "zip.repacked";

/// In a canonical zip, the entries must stand in the canonical order.
pub fn check_order(run: &mut Run<'_>, b: &OpenBundle, inv: &Inventory) {
    match b.kind {
        ContainerKind::Folder => {
            run.skip(
                "container",
                "an unpacked folder has no zip container to check",
            );
            return;
        }
        ContainerKind::RepackedZip => {
            run.ran("container");
            return;
        }
        ContainerKind::CanonicalZip => {}
    }
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
    let actual: Vec<&str> = b.files.iter().map(|f| f.rel.as_str()).collect();
    let expected = bundle::canonical_order(&payload, &signers);
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
        run.error(
            "zip.non-canonical-order",
            actual.get(at).map(|s| (*s).to_owned()),
            format!(
                "entry {} is not where the canonical order puts it (expected {:?})",
                at + 1,
                expected.get(at).copied().unwrap_or("no entry")
            ),
        );
    }
    run.ran("container");
}

/// What the container check covers, for the report.
pub fn detail(kind: Option<ContainerKind>) -> &'static str {
    match kind {
        Some(ContainerKind::CanonicalZip) => {
            "canonical zip: every header byte and the entry order checked"
        }
        Some(ContainerKind::RepackedZip) => {
            "re-zipped bundle read leniently (--allow-repacked): entries checked, byte layout not"
        }
        Some(ContainerKind::Folder) => "unpacked folder",
        None => "the zip container",
    }
}
