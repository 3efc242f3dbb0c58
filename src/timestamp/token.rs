//! Parsing a stored or received TimeStampResp (RFC 3161 §2.4.2) down to its
//! TSTInfo, and checking that the token is what it claims to be on its own
//! terms: one signer, whose certificate is in the token and bound to it by
//! ESSCertIDv2, a content-type and a message-digest attribute over the exact
//! TSTInfo bytes, and a signature over the DER of the signed attributes
//! (RFC 5652 §5.4). Trust in the TSA (the chain to a pinned root, its key
//! usage and validity at genTime) is [`super::chain`]'s job.

use cms::cert::CertificateChoices;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier as Oid, OctetString};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::Certificate;
use x509_tsp::{TimeStampResp, TstInfo};

use super::algs::{self, Hash};
use super::asn1::SigningCertificateV2;
use super::codes;
use super::oids;
use super::TokenError;

/// A token that is consistent in itself (not yet trusted).
#[derive(Clone, Debug)]
pub struct Token {
    /// The TSTInfo as signed.
    pub tst: TstInfo,
    /// genTime, Unix seconds.
    pub gen_time: u64,
    /// The certificate that signed the token.
    pub signer: Certificate,
    /// Every certificate the token carries (the signer's among them).
    pub certs: Vec<Certificate>,
}

impl Token {
    /// The SHA-256 message imprint (the only hash docseal accepts there).
    pub fn imprint(&self) -> &[u8] {
        self.tst.message_imprint.hashed_message.as_bytes()
    }

    /// The nonce's big-endian bytes, when the token has one.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.tst.nonce.as_ref().map(|n| n.as_bytes())
    }
}

fn err(code: &'static str, message: impl Into<String>) -> TokenError {
    TokenError::new(code, message)
}

fn der_err(what: &str) -> impl Fn(der::Error) -> TokenError + '_ {
    move |e| err(codes::UNPARSEABLE, format!("{what} is not valid DER: {e}"))
}

/// Parses a TimeStampResp and checks the token inside on its own terms.
pub fn parse_response(bytes: &[u8]) -> Result<Token, TokenError> {
    let resp = TimeStampResp::from_der(bytes).map_err(der_err("the TimeStampResp"))?;
    use cmpv2::status::PkiStatus;
    match resp.status.status {
        PkiStatus::Accepted | PkiStatus::GrantedWithMods => {}
        other => {
            let text: Vec<String> = resp
                .status
                .status_string
                .iter()
                .flat_map(|s| s.iter())
                .map(|s| crate::report::escape(s.as_str()).into_owned())
                .collect();
            return Err(err(
                codes::NOT_GRANTED,
                format!(
                    "the TSA refused the request (status {other:?}{}{})",
                    if text.is_empty() { "" } else { ": " },
                    text.join("; ")
                ),
            ));
        }
    }
    let info = resp.time_stamp_token.ok_or_else(|| {
        err(
            codes::UNPARSEABLE,
            "the response is granted but holds no token",
        )
    })?;
    if info.content_type != oids::SIGNED_DATA {
        return Err(err(codes::UNPARSEABLE, "the token is not CMS SignedData"));
    }
    let sd: SignedData = info
        .content
        .decode_as()
        .map_err(der_err("the token's SignedData"))?;
    check_signed_data(&sd)
}

fn check_signed_data(sd: &SignedData) -> Result<Token, TokenError> {
    if sd.encap_content_info.econtent_type != oids::TST_INFO {
        return Err(err(
            codes::UNPARSEABLE,
            "the signed content is not a TSTInfo",
        ));
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .filter(|a| a.tag() == Tag::OctetString)
        .ok_or_else(|| err(codes::UNPARSEABLE, "the token holds no TSTInfo"))?;
    let tst_der = econtent.value();
    let tst = TstInfo::from_der(tst_der).map_err(der_err("the TSTInfo"))?;
    let mut infos = sd.signer_infos.0.iter();
    let (Some(si), None) = (infos.next(), infos.next()) else {
        return Err(err(
            codes::UNPARSEABLE,
            "a token has exactly one signer (RFC 3161 §2.4.2)",
        ));
    };
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let signer = find_signer(si, &certs)?;
    let digest = Hash::from_oid(&si.digest_alg.oid, "the token's digest algorithm")?;
    // Not covered by the signature, so held to exactly what the signer used.
    let mut listed = sd.digest_algorithms.iter();
    plain(&si.digest_alg, "the token's digest algorithm")?;
    plain(&si.signature_algorithm, "the token's signature algorithm")?;
    match (listed.next(), listed.next()) {
        (Some(a), None) if a == &si.digest_alg => {}
        _ => {
            return Err(err(
                codes::BAD_ATTRIBUTES,
                "the token's digest algorithms are not exactly its signer's",
            ))
        }
    }
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or_else(|| err(codes::BAD_ATTRIBUTES, "the token has no signed attributes"))?;
    let content_type: Oid = single_attr(attrs, oids::CONTENT_TYPE, "content-type")?;
    if content_type != oids::TST_INFO {
        return Err(err(
            codes::BAD_ATTRIBUTES,
            "the content-type attribute is not id-ct-TSTInfo",
        ));
    }
    let md: OctetString = single_attr(attrs, oids::MESSAGE_DIGEST, "message-digest")?;
    if md.as_bytes() != digest.digest(tst_der).as_slice() {
        return Err(err(
            codes::BAD_ATTRIBUTES,
            "the message-digest attribute does not match the TSTInfo",
        ));
    }
    check_cert_binding(attrs, &signer)?;
    let sig_hash = algs::signature_hash(&si.signature_algorithm.oid, Some(digest), "the token")?;
    let message = attrs
        .to_der()
        .map_err(|e| err(codes::UNPARSEABLE, format!("signed attributes: {e}")))?;
    algs::verify(
        &signer.tbs_certificate.subject_public_key_info,
        sig_hash,
        &message,
        si.signature.as_bytes(),
        "the token's signature",
    )?;
    let imprint_hash = Hash::from_oid(
        &tst.message_imprint.hash_algorithm.oid,
        "the message imprint",
    )?;
    if imprint_hash != Hash::Sha256 {
        return Err(err(
            codes::UNSUPPORTED,
            "the message imprint is not SHA-256",
        ));
    }
    let gen_time = tst.gen_time.to_unix_duration().as_secs();
    Ok(Token {
        tst,
        gen_time,
        signer,
        certs,
    })
}

/// Hash and signature algorithm identifiers carry no parameters, or NULL:
/// the parameters of the signer info's algorithms are not signed, so they
/// are held to their one meaning.
fn plain(a: &spki::AlgorithmIdentifierOwned, what: &str) -> Result<(), TokenError> {
    match &a.parameters {
        None => Ok(()),
        Some(p) if p.tag() == Tag::Null && p.value().is_empty() => Ok(()),
        Some(_) => Err(err(
            codes::UNSUPPORTED,
            format!("{what} has parameters docseal does not accept"),
        )),
    }
}

/// The certificate the signer identifier names (RFC 5652 §5.3).
fn find_signer(si: &SignerInfo, certs: &[Certificate]) -> Result<Certificate, TokenError> {
    let found = certs.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate.issuer == ias.issuer
                && c.tbs_certificate.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == oids::SUBJECT_KEY_ID)
            .and_then(|e| OctetString::from_der(e.extn_value.as_bytes()).ok())
            .is_some_and(|v| v == ski.0),
    });
    found.cloned().ok_or_else(|| {
        err(
            codes::NO_SIGNER_CERT,
            "the token does not carry its TSA certificate (was certReq set?)",
        )
    })
}

/// The one value of the one attribute `oid`.
fn single_attr<'a, T>(
    attrs: &'a cms::signed_data::SignedAttributes,
    oid: Oid,
    name: &str,
) -> Result<T, TokenError>
where
    T: der::Choice<'a> + der::DecodeValue<'a>,
{
    let mut found = attrs.iter().filter(|a| a.oid == oid);
    let (Some(a), None) = (found.next(), found.next()) else {
        return Err(err(
            codes::BAD_ATTRIBUTES,
            format!("the token needs exactly one {name} attribute"),
        ));
    };
    let mut values = a.values.iter();
    let (Some(v), None) = (values.next(), values.next()) else {
        return Err(err(
            codes::BAD_ATTRIBUTES,
            format!("the {name} attribute needs exactly one value"),
        ));
    };
    v.decode_as()
        .map_err(|e| err(codes::BAD_ATTRIBUTES, format!("the {name} attribute: {e}")))
}

/// ESSCertIDv2 must name the signer certificate by its hash (RFC 5816 §2.2.1);
/// the older ESSCertID can only name it by SHA-1 and is refused.
fn check_cert_binding(
    attrs: &cms::signed_data::SignedAttributes,
    signer: &Certificate,
) -> Result<(), TokenError> {
    let has = |oid| attrs.iter().any(|a| a.oid == oid);
    if !has(oids::SIGNING_CERTIFICATE_V2) {
        return Err(if has(oids::SIGNING_CERTIFICATE) {
            err(codes::WEAK_HASH, "the token binds its TSA certificate with SHA-1 (ESSCertID), which docseal refuses; the TSA must use ESSCertIDv2")
        } else {
            err(
                codes::CERT_UNBOUND,
                "the token has no signing-certificate attribute binding its TSA certificate",
            )
        });
    }
    let sc: SigningCertificateV2 = single_attr(
        attrs,
        oids::SIGNING_CERTIFICATE_V2,
        "signing-certificate-v2",
    )?;
    let first = sc.certs.first().ok_or_else(|| {
        err(
            codes::CERT_UNBOUND,
            "the signing-certificate-v2 attribute names no certificate",
        )
    })?;
    let hash = match &first.hash_algorithm {
        None => Hash::Sha256,
        Some(a) => Hash::from_oid(&a.oid, "the ESSCertIDv2 hash")?,
    };
    let der = signer
        .to_der()
        .map_err(|e| err(codes::UNPARSEABLE, format!("TSA certificate: {e}")))?;
    if hash.digest(&der).as_slice() != first.cert_hash.as_bytes() {
        return Err(err(codes::CERT_UNBOUND, "the signing-certificate-v2 attribute names another certificate than the one that signed"));
    }
    Ok(())
}
