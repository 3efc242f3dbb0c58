//! Unit tests of the pure parts: names, the request's encoding, refusals of
//! malformed input. Tokens from a real TSA are tested in tests/it/timestamp.

use super::*;
use sha2::{Digest, Sha256};

#[test]
fn token_names_round_trip_and_only_the_canonical_spelling_parses() {
    let id: KeyId = "0123456789ABCDEF".parse().unwrap();
    assert_eq!(token_file(id, 0), "signatures/0123456789ABCDEF.0.tsr");
    assert_eq!(parse_token_file(&token_file(id, 12)), Some((id, 12)));
    for bad in [
        "signatures/0123456789ABCDEF.tsr",
        "signatures/0123456789ABCDEF.01.tsr",
        "signatures/0123456789abcdef.0.tsr",
        "signatures/0123456789ABCDEF.10000.tsr",
        "signatures/0123456789ABCDEF.-1.tsr",
        "signatures/0123456789ABCDEF.0.TSR",
        "data/0123456789ABCDEF.0.tsr",
    ] {
        assert_eq!(parse_token_file(bad), None, "{bad}");
    }
}

#[test]
fn the_request_is_a_sha256_imprint_with_an_eight_byte_nonce_and_cert_req() {
    use der::Decode;
    let r = request::build(b"signature bytes", 0xffff_ffff_ffff_ffff).unwrap();
    let req = x509_tsp::TimeStampReq::from_der(&r.der).unwrap();
    assert!(req.cert_req);
    assert_eq!(req.message_imprint.hash_algorithm.oid, oids::SHA256);
    assert_eq!(
        req.message_imprint.hashed_message.as_bytes(),
        Sha256::digest(b"signature bytes").as_slice()
    );
    assert_eq!(req.nonce.unwrap().as_bytes(), r.nonce.as_slice());
    assert_eq!(r.nonce.len(), 8);
    assert!(r.nonce[0] & 0x80 == 0 && r.nonce[0] != 0);
}

#[test]
fn garbage_is_unparseable_not_a_panic() {
    for bytes in [
        &b""[..],
        b"\x30",
        b"\x30\x03\x02\x01\x00",
        b"not der at all",
    ] {
        let r = check_token(
            "signatures/0123456789ABCDEF.0.tsr",
            b"x",
            bytes,
            &TsaTrust::default(),
        );
        assert_eq!(r.status, TokenStatus::Invalid);
        assert_eq!(r.code, Some(codes::UNPARSEABLE), "{bytes:?}");
    }
    // A granted status without a token, and a rejection.
    let granted_empty = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00];
    assert_eq!(
        token::parse_response(&granted_empty).unwrap_err().code,
        codes::UNPARSEABLE
    );
    let rejected = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02];
    assert_eq!(
        token::parse_response(&rejected).unwrap_err().code,
        codes::NOT_GRANTED
    );
}

#[test]
fn pinning_refuses_what_is_not_a_certificate() {
    let mut t = TsaTrust::default();
    assert!(t
        .pin(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .is_err());
    assert!(t.pin(b"\x30\x00").is_err());
    assert!(t
        .pin(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        .is_err());
    assert!(t.pinned.is_empty());
}

#[test]
fn pinning_reads_every_pem_block_with_text_around_and_der() {
    let pem = include_bytes!("../../fuzz/seeds/timestamp_token/roots.pem");
    let mut t = TsaTrust::default();
    let text = [&b"subject=CN = something\n"[..], pem, b"trailing words\n"].concat();
    assert_eq!(t.pin(&text).unwrap(), 2);
    use der::Encode;
    let der = t.pinned[0].to_der().unwrap();
    assert_eq!(t.pin(&der).unwrap(), 1);
    assert_eq!(t.pinned.len(), 3);
}
