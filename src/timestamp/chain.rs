//! Trust in the TSA: its certificate carries the critical id-kp-timeStamping
//! extended key usage and nothing else (RFC 3161 §2.3), every certificate
//! from it up to a pinned root was valid at genTime, each was signed by the
//! next (an issuer is a CA), and the chain ends at a certificate the reader
//! pinned. Pinned certificates are trusted as given: a pinned TSA
//! certificate is a chain of one.

use der::{Decode, Encode};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage};
use x509_cert::Certificate;

use super::algs;
use super::codes;
use super::oids;
use super::TokenError;

/// Longest chain followed, pinned root included.
const MAX_DEPTH: usize = 6;

/// How a chain ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// At a pinned certificate, whose subject this is.
    Pinned(String),
    /// At a certificate nobody pinned; the reason says which.
    Unpinned(String),
}

fn err(code: &'static str, message: impl Into<String>) -> TokenError {
    TokenError::new(code, message)
}

/// The TSA certificate's extended key usage: present, critical, and only id-kp-timeStamping.
pub fn check_tsa_usage(cert: &Certificate) -> Result<(), TokenError> {
    let ext = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oids::EXT_KEY_USAGE);
    let Some(ext) = ext else {
        return Err(err(codes::EKU, "the TSA certificate has no extended key usage (RFC 3161 needs a critical id-kp-timeStamping)"));
    };
    if !ext.critical {
        return Err(err(
            codes::EKU,
            "the TSA certificate's extended key usage is not critical (RFC 3161 §2.3)",
        ));
    }
    let eku = ExtendedKeyUsage::from_der(ext.extn_value.as_bytes()).map_err(|e| {
        err(
            codes::EKU,
            format!("the TSA certificate's extended key usage: {e}"),
        )
    })?;
    if eku.0.as_slice() != [oids::KP_TIME_STAMPING] {
        return Err(err(
            codes::EKU,
            "the TSA certificate's extended key usage is not id-kp-timeStamping alone",
        ));
    }
    Ok(())
}

/// Whether `cert` was valid at `at` (Unix seconds).
pub fn check_validity(cert: &Certificate, at: u64, what: &str) -> Result<(), TokenError> {
    let v = &cert.tbs_certificate.validity;
    let from = v.not_before.to_unix_duration().as_secs();
    let to = v.not_after.to_unix_duration().as_secs();
    let subject = subject(cert);
    if at < from {
        return Err(err(
            codes::CERT_NOT_VALID,
            format!(
                "{what} {subject} was not yet valid at genTime (valid from {})",
                crate::time::rfc3339(from)
            ),
        ));
    }
    if at > to {
        return Err(err(
            codes::CERT_NOT_VALID,
            format!(
                "{what} {subject} had expired at genTime (valid until {})",
                crate::time::rfc3339(to)
            ),
        ));
    }
    Ok(())
}

/// The subject as an RFC 4514 string, escaped for a terminal.
pub fn subject(cert: &Certificate) -> String {
    crate::report::escape(&cert.tbs_certificate.subject.to_string()).into_owned()
}

/// Every certificate the token carries must be on its chain: reached from
/// the TSA certificate by issuer name, each signed by the next (a
/// self-issued one by itself), each valid at `at`. Certificates are not
/// covered by the token's signature, so one that nothing checks could be
/// changed unseen; this leaves none.
pub fn check_carried(
    leaf: &Certificate,
    carried: &[Certificate],
    at: u64,
) -> Result<(), TokenError> {
    if carried.len() > MAX_DEPTH + 2 {
        return Err(err(
            codes::CHAIN_INVALID,
            "the token carries too many certificates",
        ));
    }
    let mut seen: Vec<bool> = carried.iter().map(|c| same(c, leaf)).collect();
    let mut current = leaf.clone();
    for _ in 0..MAX_DEPTH {
        let tbs = &current.tbs_certificate;
        if tbs.issuer == tbs.subject {
            signed_by(&current, &current)?;
            break;
        }
        let Some(i) = carried
            .iter()
            .position(|c| c.tbs_certificate.subject == tbs.issuer && !same(c, &current))
        else {
            break;
        };
        let next = carried[i].clone();
        signed_by(&current, &next)?;
        check_validity(&next, at, "a certificate the token carries,")?;
        for (s, c) in seen.iter_mut().zip(carried) {
            *s |= same(c, &next);
        }
        current = next;
    }
    match seen.iter().position(|s| !s) {
        Some(i) => Err(err(
            codes::CHAIN_INVALID,
            format!(
                "the token carries a certificate that is not on its chain: {}",
                subject(&carried[i])
            ),
        )),
        None => Ok(()),
    }
}

/// Whether `issuer`'s key signed `cert`.
fn signed_by(cert: &Certificate, issuer: &Certificate) -> Result<(), TokenError> {
    if cert.signature_algorithm != cert.tbs_certificate.signature {
        return Err(err(
            codes::CHAIN_INVALID,
            format!(
                "{}: the signature algorithm differs inside and outside the signed part",
                subject(cert)
            ),
        ));
    }
    let hash = algs::signature_hash(
        &cert.signature_algorithm.oid,
        None,
        "a certificate in the TSA chain",
    )?;
    let tbs = cert
        .tbs_certificate
        .to_der()
        .map_err(|e| err(codes::UNPARSEABLE, format!("certificate: {e}")))?;
    let sig = cert
        .signature
        .as_bytes()
        .ok_or_else(|| err(codes::UNPARSEABLE, "certificate signature has unused bits"))?;
    algs::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        hash,
        &tbs,
        sig,
        "a certificate in the TSA chain",
    )
    .map_err(|e| {
        err(
            codes::CHAIN_INVALID,
            format!(
                "{} is not signed by {}: {}",
                subject(cert),
                subject(issuer),
                e.message
            ),
        )
    })
}

/// The chain ends at pinned `p`. A carried certificate of the same name must
/// be `p` itself: nothing else checks a carried copy of the root, whose own
/// signature is not what makes it trusted.
fn pinned_anchor(p: &Certificate, carried: &[Certificate]) -> Result<Anchor, TokenError> {
    let subject_of = &p.tbs_certificate.subject;
    if carried
        .iter()
        .any(|c| &c.tbs_certificate.subject == subject_of && !same(c, p))
    {
        return Err(err(
            codes::CHAIN_INVALID,
            format!(
                "the token carries a certificate named {} that differs from the pinned one",
                subject(p)
            ),
        ));
    }
    Ok(Anchor::Pinned(subject(p)))
}

fn is_ca(cert: &Certificate) -> bool {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oids::BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|b| b.ca)
}

fn same(a: &Certificate, b: &Certificate) -> bool {
    a.to_der().ok() == b.to_der().ok()
}

/// Follows the chain from the TSA certificate `leaf` through the token's
/// certificates to a pinned one; every certificate on the way must be valid
/// at `at`. An issuer that is found but did not sign is an error; an issuer
/// that is not found ends the chain unpinned.
pub fn anchor(
    leaf: &Certificate,
    carried: &[Certificate],
    pinned: &[Certificate],
    at: u64,
) -> Result<Anchor, TokenError> {
    let mut current = leaf.clone();
    check_validity(&current, at, "the TSA certificate")?;
    for _ in 0..MAX_DEPTH {
        if let Some(p) = pinned.iter().find(|p| same(p, &current)) {
            return pinned_anchor(p, carried);
        }
        let issuer_name = &current.tbs_certificate.issuer;
        let candidates = |set: &[Certificate]| -> Vec<Certificate> {
            set.iter()
                .filter(|c| &c.tbs_certificate.subject == issuer_name && !same(c, &current))
                .cloned()
                .collect()
        };
        if let Some(p) = candidates(pinned)
            .into_iter()
            .find(|p| signed_by(&current, p).is_ok())
        {
            check_validity(&p, at, "the pinned root")?;
            return pinned_anchor(&p, carried);
        }
        let Some(next) = candidates(carried).into_iter().next() else {
            let why = if pinned.is_empty() {
                "no TSA certificate is pinned (give --tsa-cert or --tsa-keyring)".to_owned()
            } else {
                format!(
                    "its chain ends at {}, which is not pinned",
                    crate::report::escape(&issuer_name.to_string())
                )
            };
            return Ok(Anchor::Unpinned(why));
        };
        signed_by(&current, &next)?;
        if !is_ca(&next) {
            return Err(err(
                codes::CHAIN_INVALID,
                format!("{} issued a certificate but is not a CA", subject(&next)),
            ));
        }
        check_validity(&next, at, "the issuing certificate")?;
        current = next;
    }
    Err(err(
        codes::CHAIN_INVALID,
        "the TSA certificate chain is too long",
    ))
}
