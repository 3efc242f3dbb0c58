//! The ASN.1 structures docseal needs beyond `cms`, `x509-cert` and
//! `x509-tsp`: the ESS signing-certificate attributes (RFC 2634 §5.4,
//! RFC 5035 §3) that bind a token to its TSA certificate.

use der::asn1::OctetString;
use der::{Any, Sequence};
use spki::AlgorithmIdentifierOwned;

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// The first identifies the signing certificate.
    pub certs: Vec<EssCertIdV2>,
    /// Policies (not used by docseal).
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// Absent means SHA-256 (a DER encoder omits the default).
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// The hash of the whole certificate's DER.
    pub cert_hash: OctetString,
    /// Issuer and serial (the hash is the binding; this is not needed).
    #[asn1(optional = "true")]
    pub issuer_serial: Option<Any>,
}
