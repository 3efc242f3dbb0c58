//! RFC 3161 tokens (TimeStampResp DER) from raw bytes: the parser, the
//! token's own checks and the chain walk against the seeds' pinned roots.
//! Must never panic; a token found trusted must cover the seed's signed
//! bytes and carry a genTime and a TSA subject.

#![no_main]

use docseal::timestamp::{self, chain, token, TokenStatus, TsaTrust};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The roots of the seed tokens (made with `openssl ts -reply`, docs/FUZZING.md).
const ROOTS: &[u8] = include_bytes!("../seeds/timestamp_token/roots.pem");
/// The bytes the seed tokens timestamp.
const SIGNED: &[u8] = include_bytes!("../seeds/timestamp_token/signed.txt");

fn trust() -> &'static TsaTrust {
    static T: OnceLock<TsaTrust> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = TsaTrust::default();
        t.pin(ROOTS).expect("the seed roots parse");
        t
    })
}

fuzz_target!(|data: &[u8]| {
    let t = trust();
    let r = timestamp::check_token("signatures/0123456789ABCDEF.0.tsr", SIGNED, data, t);
    if r.status == TokenStatus::Trusted {
        assert!(r.gen_time.is_some() && r.tsa.is_some() && r.anchor.is_some());
    }
    let _ = r.describe();
    if let Ok(tok) = token::parse_response(data) {
        let _ = chain::check_tsa_usage(&tok.signer);
        let _ = chain::check_carried(&tok.signer, &tok.certs, tok.gen_time);
        let _ = chain::anchor(&tok.signer, &tok.certs, &t.pinned, tok.gen_time);
    }
    let _ = timestamp::list_token("x.tsr", data);
});
