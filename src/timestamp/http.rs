//! The HTTP(S) transport of RFC 3161 §3.4: POST the DER TimeStampReq as
//! `application/timestamp-query`, read the `application/timestamp-reply`.
//!
//! The only part of [`crate::timestamp`] that touches the network (ureq,
//! rustls with the webpki roots for `https://`); the lead gates it behind
//! the `cli` feature. No redirects are followed (a POST body is not
//! re-sent elsewhere), the reply is bounded, and every failure is one line
//! naming the URL.

use std::io::Read;
use std::time::Duration;

/// The largest reply read.
const MAX_REPLY: u64 = super::MAX_TOKEN_BYTES;

/// How long to wait for a TSA.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// To connect.
    pub connect: Duration,
    /// For the whole exchange.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }
}

/// Sends `query` to the TSA at `url`; the reply's body, or why there is none.
pub fn post_query(url: &str, query: &[u8], t: Timeouts) -> Result<Vec<u8>, String> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err("the TSA URL must start with http:// or https://".into());
    }
    if cfg!(not(feature = "https")) && url.starts_with("https://") {
        return Err("this docseal was built without https support (the `https` feature); use an http:// TSA or a default build".into());
    }
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(t.connect)
        .timeout(t.total)
        .redirects(0)
        .user_agent(concat!("docseal/", env!("CARGO_PKG_VERSION")))
        .build();
    let resp = agent
        .post(url)
        .set("Content-Type", "application/timestamp-query")
        .set("Accept", "application/timestamp-reply")
        .send_bytes(query);
    let resp = match resp {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            return Err(format!(
                "the TSA answered HTTP {code} {}",
                crate::report::escape(r.status_text())
            ))
        }
        Err(ureq::Error::Transport(e)) => return Err(format!("cannot reach the TSA: {e}")),
    };
    if resp.status() != 200 {
        return Err(format!(
            "the TSA answered HTTP {} instead of 200",
            resp.status()
        ));
    }
    let ct = resp.content_type().to_ascii_lowercase();
    if ct != "application/timestamp-reply" && ct != "application/timestamp-response" {
        return Err(format!(
            "the TSA answered with content type {:?}, not application/timestamp-reply",
            crate::report::escape(&ct)
        ));
    }
    let mut body = Vec::new();
    resp.into_reader()
        .take(MAX_REPLY + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("cannot read the TSA's reply: {e}"))?;
    if body.len() as u64 > MAX_REPLY {
        return Err(format!("the TSA's reply is larger than {MAX_REPLY} bytes"));
    }
    Ok(body)
}
