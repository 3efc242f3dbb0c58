//! Trusted time in a lineage (`docseal history`): the earliest trusted
//! genTime of a version orders versions that share a number (a fork: the
//! first timestamped comes first), and consecutive versions whose trusted
//! times run backwards are worth a warning. Upper bounds only: a token says
//! "no later than", so a late-timestamped older version is no contradiction
//! by itself, hence a warning, never an error.

use crate::report::{Finding, Severity, SignatureReport, SignatureStatus};

use super::TokenStatus;

/// The earliest trusted genTime (Unix seconds) of a version's valid signatures.
pub fn trusted_time(signatures: &[SignatureReport]) -> Option<u64> {
    signatures
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                SignatureStatus::ValidTrusted | SignatureStatus::ValidUntrusted
            )
        })
        .flat_map(|s| &s.timestamps)
        .filter(|t| t.status == TokenStatus::Trusted)
        .filter_map(|t| t.gen_time_unix)
        .min()
}

/// The sort key of a version: its number, then its earliest trusted time (none last).
pub fn order_key(version: u64, trusted: Option<u64>) -> (u64, u64) {
    (version, trusted.unwrap_or(u64::MAX))
}

/// `history.timestamp-order` warnings for versions (bundle, version, trusted
/// time), oldest first, where a newer version's trusted time is earlier than
/// an older one's.
pub fn order_findings(versions: &[(&str, u64, Option<u64>)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for pair in versions.windows(2) {
        let [(_, va, Some(ta)), (b, vb, Some(tb))] = pair else {
            continue;
        };
        if tb < ta && vb > va {
            out.push(Finding::new(
                Severity::Warning,
                "history.timestamp-order",
                Some((*b).to_owned()),
                format!(
                    "version {vb} is timestamped no later than {}, before version {va} ({}): the older one was timestamped late",
                    crate::time::rfc3339(*tb),
                    crate::time::rfc3339(*ta)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_by_number_then_trusted_time_and_backwards_times_warn() {
        let mut v = vec![(2, Some(50)), (1, None), (2, Some(10)), (2, None)];
        v.sort_by_key(|(n, t)| order_key(*n, *t));
        assert_eq!(v, [(1, None), (2, Some(10)), (2, Some(50)), (2, None)]);
        let f = order_findings(&[("a", 1, Some(100)), ("b", 2, Some(50)), ("c", 3, None)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "history.timestamp-order");
        assert_eq!(f[0].path.as_deref(), Some("b"));
        assert!(order_findings(&[("a", 1, Some(10)), ("b", 2, Some(50))]).is_empty());
    }
}
