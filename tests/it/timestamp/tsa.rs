//! A local time-stamping authority for the tests: a root and TSA
//! certificates made with `openssl` (ECDSA P-256 or RSA-2048), and
//! `openssl ts -reply` behind a loopback HTTP server on a thread, which
//! answers a bounded number of requests and stops by itself (on drop, or
//! after a minute at the latest). Modes make it misbehave the ways a TSA can.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use der::{Decode, DecodePem, Encode};
use sha2::{Digest, Sha256};

/// The key type of a PKI.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    P256,
    Rsa2048,
}

/// A root CA and a TSA key, in a temporary folder.
pub struct Pki {
    pub dir: tempfile::TempDir,
    pub kind: Kind,
}

const EXTENSIONS: &str = "\
[ root_ext ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[ noncritical_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = timeStamping
[ noeku_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
";

/// Runs openssl in `dir`, panicking with its stderr on failure.
pub fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

impl Pki {
    /// A root "docseal test root <kind>" and a TSA key with a good certificate `tsa.crt`.
    pub fn new(kind: Kind) -> Pki {
        let pki = Pki {
            dir: tempfile::tempdir().expect("tempdir"),
            kind,
        };
        let d = pki.dir.path();
        std::fs::write(d.join("ext.cnf"), EXTENSIONS).unwrap();
        std::fs::create_dir(d.join("newcerts")).unwrap();
        std::fs::write(d.join("index.txt"), "").unwrap();
        std::fs::write(d.join("serial"), "1000\n").unwrap();
        std::fs::write(d.join("tsaserial"), "01\n").unwrap();
        std::fs::write(
            d.join("ca.cnf"),
            "[ ca ]\ndefault_ca = c\n[ c ]\ndatabase = ./index.txt\nnew_certs_dir = ./newcerts\n\
             serial = ./serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n\
             email_in_dn = no\n[ p ]\norganizationName = optional\ncommonName = supplied\n",
        )
        .unwrap();
        for (ess, file) in [("sha256", "ts.cnf"), ("sha1", "ts-sha1.cnf")] {
            std::fs::write(
                d.join(file),
                format!(
                    "[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = ./tsaserial\nsigner_digest = sha256\n\
                     default_policy = 1.2.3.4.1\nother_policies = 1.2.3.4.5\n\
                     digests = sha1, sha256, sha384, sha512\naccuracy = secs:1\nordering = no\n\
                     tsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = {ess}\n"
                ),
            )
            .unwrap();
        }
        let name = match kind {
            Kind::P256 => "P-256",
            Kind::Rsa2048 => "RSA-2048",
        };
        pki.new_key("root.key");
        pki.new_key("tsa.key");
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                "root.key",
                "-out",
                "root.crt",
                "-days",
                "7300",
                "-subj",
                &format!("/O=docseal tests/CN=docseal test root {name}"),
                "-config",
                "ext.cnf",
                "-extensions",
                "root_ext",
                "-sha256",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-new",
                "-key",
                "tsa.key",
                "-out",
                "tsa.csr",
                "-subj",
                &format!("/O=docseal tests/CN=docseal test TSA {name}"),
            ],
        );
        pki.issue("tsa.crt", "tsa_ext", "20240101000000Z", "20450101000000Z");
        pki
    }

    fn new_key(&self, out: &str) {
        let d = self.dir.path();
        match self.kind {
            Kind::P256 => openssl(
                d,
                &[
                    "genpkey",
                    "-algorithm",
                    "EC",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-out",
                    out,
                ],
            ),
            Kind::Rsa2048 => openssl(
                d,
                &[
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    "rsa_keygen_bits:2048",
                    "-out",
                    out,
                ],
            ),
        };
    }

    /// Issues another certificate for the TSA key: extension section `ext`, valid from `start` to `end`.
    pub fn issue(&self, out: &str, ext: &str, start: &str, end: &str) -> PathBuf {
        openssl(
            self.dir.path(),
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-cert",
                "root.crt",
                "-keyfile",
                "root.key",
                "-in",
                "tsa.csr",
                "-out",
                out,
                "-startdate",
                start,
                "-enddate",
                end,
                "-extfile",
                "ext.cnf",
                "-extensions",
                ext,
                "-notext",
            ],
        );
        self.path(out)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `openssl ts -reply` to the query in `query` (a file), signed with certificate `cert`.
    pub fn reply(&self, query: &Path, cert: &str, config: &str) -> Vec<u8> {
        let out = query.with_extension("tsr");
        openssl(
            self.dir.path(),
            &[
                "ts",
                "-reply",
                "-config",
                config,
                "-queryfile",
                &query.display().to_string(),
                "-signer",
                cert,
                "-inkey",
                "tsa.key",
                "-chain",
                "root.crt",
                "-out",
                &out.display().to_string(),
            ],
        );
        std::fs::read(out).unwrap()
    }

    /// An openssl query over a given digest (hex), with a fresh random nonce.
    pub fn query_for_digest(&self, out: &Path, hex: &str, alg: &str) {
        openssl(
            self.dir.path(),
            &[
                "ts",
                "-query",
                "-digest",
                hex,
                &format!("-{alg}"),
                "-cert",
                "-out",
                &out.display().to_string(),
            ],
        );
    }

    /// Re-signs token `tsr` as if by certificate `cert` (same TSA key): what a TSA with
    /// that certificate would have answered, for certificates `openssl ts` refuses to use.
    pub fn forge(&self, tsr: &[u8], cert: &str) -> Vec<u8> {
        use cms::cert::CertificateChoices;
        use cms::signed_data::{SignedData, SignerIdentifier};
        let new =
            x509_cert::Certificate::from_pem(std::fs::read(self.path(cert)).unwrap()).unwrap();
        let old =
            x509_cert::Certificate::from_pem(std::fs::read(self.path("tsa.crt")).unwrap()).unwrap();
        let mut resp = x509_tsp::TimeStampResp::from_der(tsr).unwrap();
        let mut info = resp.time_stamp_token.take().unwrap();
        let mut sd: SignedData = info.content.decode_as().unwrap();
        let certs: Vec<CertificateChoices> = sd
            .certificates
            .as_ref()
            .unwrap()
            .0
            .iter()
            .map(|c| match c {
                CertificateChoices::Certificate(c)
                    if c.tbs_certificate.subject == old.tbs_certificate.subject =>
                {
                    CertificateChoices::Certificate(new.clone())
                }
                other => other.clone(),
            })
            .collect();
        sd.certificates = Some(cms::signed_data::CertificateSet(certs.try_into().unwrap()));
        let mut si = sd.signer_infos.0.get(0).unwrap().clone();
        if let SignerIdentifier::IssuerAndSerialNumber(ias) = &mut si.sid {
            ias.serial_number = new.tbs_certificate.serial_number.clone();
        }
        let old_hash = Sha256::digest(old.to_der().unwrap());
        let new_hash = Sha256::digest(new.to_der().unwrap());
        let mut attrs = si.signed_attrs.as_ref().unwrap().to_der().unwrap();
        let at = attrs
            .windows(32)
            .position(|w| w == old_hash.as_slice())
            .expect("ESSCertIDv2 hash");
        attrs[at..at + 32].copy_from_slice(&new_hash);
        si.signed_attrs = Some(Decode::from_der(&attrs).unwrap());
        let attrs_file = format!("attrs{}.der", unique());
        std::fs::write(self.path(&attrs_file), &attrs).unwrap();
        let sig = openssl(
            self.dir.path(),
            &["dgst", "-sha256", "-sign", "tsa.key", &attrs_file],
        )
        .stdout;
        si.signature = der::asn1::OctetString::new(sig).unwrap();
        sd.signer_infos = cms::signed_data::SignerInfos(vec![si].try_into().unwrap());
        info.content = der::Any::encode_from(&sd).unwrap();
        resp.time_stamp_token = Some(info);
        resp.to_der().unwrap()
    }
}

/// A number no other server or test of this process uses, for scratch file names.
pub fn unique() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// How the local TSA answers.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Properly, with `tsa.crt`.
    Good,
    /// Properly, with another certificate for the TSA key (made by [`Pki::issue`]).
    Cert(String),
    /// Properly, but as if by this certificate, which `openssl ts` refuses to sign with ([`Pki::forge`]).
    Forged(String),
    /// With ESSCertID (SHA-1) instead of ESSCertIDv2.
    EssSha1,
    /// A token over the same imprint, but another (fresh) nonce: a replayed reply.
    WrongNonce,
    /// A token over other bytes.
    OtherBytes,
    /// A token over the SHA-1 of other bytes.
    Sha1Imprint,
    /// A rejection status.
    Rejected,
    /// Bytes that are not DER.
    Garbage,
    /// HTTP 500.
    ServerError,
}

/// A local TSA serving one PKI on loopback.
pub struct LocalTsa {
    pub url: String,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl LocalTsa {
    pub fn start(pki: Arc<Pki>, mode: Mode) -> LocalTsa {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/tsa", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicUsize::new(0));
        let (s, n) = (stop.clone(), served.clone());
        let handle = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !s.load(Ordering::SeqCst)
                && Instant::now() < deadline
                && n.load(Ordering::SeqCst) < 32
            {
                match listener.accept() {
                    Ok((stream, _)) => {
                        n.fetch_add(1, Ordering::SeqCst);
                        let _ = serve(stream, &pki, &mode, unique());
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        LocalTsa {
            url,
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for LocalTsa {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(mut stream: TcpStream, pki: &Pki, mode: &Mode, i: usize) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        if buf.len() > 65536 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len.min(65536) {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = &buf[head_end..];
    let query = pki.path(&format!("q{i}.tsq"));
    std::fs::write(&query, body)?;
    let (status, reply) = answer(pki, mode, &query, body, i);
    let msg = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.len()
    );
    stream.write_all(msg.as_bytes())?;
    stream.write_all(&reply)?;
    stream.flush()
}

fn imprint_hex(query: &[u8]) -> String {
    let req = x509_tsp::TimeStampReq::from_der(query).expect("a TimeStampReq");
    docseal::manifest::hex(req.message_imprint.hashed_message.as_bytes())
}

fn answer(pki: &Pki, mode: &Mode, query: &Path, body: &[u8], i: usize) -> (&'static str, Vec<u8>) {
    let ok = "200 OK";
    match mode {
        Mode::Good => (ok, pki.reply(query, "tsa.crt", "ts.cnf")),
        Mode::Cert(c) => (ok, pki.reply(query, c, "ts.cnf")),
        Mode::Forged(c) => (ok, pki.forge(&pki.reply(query, "tsa.crt", "ts.cnf"), c)),
        Mode::EssSha1 => (ok, pki.reply(query, "tsa.crt", "ts-sha1.cnf")),
        Mode::WrongNonce => {
            let q = pki.path(&format!("r{i}.tsq"));
            pki.query_for_digest(&q, &imprint_hex(body), "sha256");
            (ok, pki.reply(&q, "tsa.crt", "ts.cnf"))
        }
        Mode::OtherBytes => {
            let q = pki.path(&format!("r{i}.tsq"));
            pki.query_for_digest(
                &q,
                &docseal::manifest::hex(&Sha256::digest(b"other bytes")),
                "sha256",
            );
            (ok, pki.reply(&q, "tsa.crt", "ts.cnf"))
        }
        Mode::Sha1Imprint => {
            let q = pki.path(&format!("r{i}.tsq"));
            pki.query_for_digest(&q, "0123456789abcdef0123456789abcdef01234567", "sha1");
            (ok, pki.reply(&q, "tsa.crt", "ts.cnf"))
        }
        // TimeStampResp { status: PKIStatusInfo { rejection, "refused by test" } }
        Mode::Rejected => (
            ok,
            [
                &[
                    0x30, 0x19, 0x30, 0x17, 0x02, 0x01, 0x02, 0x30, 0x12, 0x0c, 0x10,
                ][..],
                b"refused by tests",
            ]
            .concat(),
        ),
        Mode::Garbage => (ok, b"this is not a timestamp reply".to_vec()),
        Mode::ServerError => ("500 Internal Server Error", b"oops".to_vec()),
    }
}
