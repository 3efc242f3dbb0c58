//! docseal's one integration-test binary: the CLI end to end, real zip
//! files, real tampering, and the real peers (minisign, unzip, sha256sum,
//! bagit-python).

mod common;

mod annotate;
mod bag_only;
mod citations;
mod cli;
mod cosign;
mod cost;
mod differential;
mod downloads;
mod exit_codes;
mod fuzz_regressions;
mod hostile;
mod install;
mod keyfiles;
mod peers;
mod release;
mod report;
mod schema;
mod selection;
mod signals;
mod tamper;
mod timestamp;
