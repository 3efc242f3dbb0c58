//! `docseal history`: verify a lineage of versions and show what changed.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;
use docseal::error::Result;
use docseal::report::{escape, Verdict};

/// Arguments of `history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The versions of one bundle, in any order.
    #[arg(value_name = "BUNDLE", required = true, num_args = 1..)]
    bundles: Vec<PathBuf>,
    #[command(flatten)]
    trust: super::TrustArgs,
    /// Print the result as one JSON document.
    #[arg(long)]
    json: bool,
    /// A version signed only by keys that signed no earlier version breaks
    /// the chain (without it, a warning).
    #[arg(long)]
    same_signers: bool,
}

pub fn run(a: HistoryArgs) -> Result<i32> {
    let mut opts = super::load_trusted(&a.trust)?;
    opts.same_signers = a.same_signers;
    let h = docseal::history::history(&a.bundles, &opts)?;
    if a.json {
        super::print_out(&docseal::escape::to_json_pretty(&h))?;
    } else {
        let mut s = String::new();
        for v in &h.versions {
            let _ = writeln!(
                s,
                "version {:>3}  {:<9}  {}  {}",
                v.version.map_or("?".into(), |n| n.to_string()),
                v.verdict.as_str(),
                escape(v.created.as_deref().unwrap_or("?")),
                escape(&v.bundle)
            );
            let signers: Vec<String> = v
                .signers
                .iter()
                .map(|x| format!("{} ({})", escape(&x.name), x.key_id))
                .collect();
            let _ = writeln!(
                s,
                "  signed by  {}{}",
                if signers.is_empty() {
                    "no key you trust".to_owned()
                } else {
                    signers.join(", ")
                },
                if v.signer_changed {
                    "  << CHANGE OF SIGNER"
                } else {
                    ""
                }
            );
        }
        for c in &h.changes {
            let _ = writeln!(
                s,
                "changes {} -> {}: {} added, {} removed, {} changed",
                c.from,
                c.to,
                c.added.len(),
                c.removed.len(),
                c.changed.len()
            );
            for (mark, list) in [("+", &c.added), ("-", &c.removed), ("~", &c.changed)] {
                for p in list {
                    let _ = writeln!(s, "  {mark} {}", escape(p));
                }
            }
            if let Some(d) = &c.statement_diff {
                for line in d.lines() {
                    let _ = writeln!(s, "  | {}", escape(line));
                }
            }
        }
        for f in &h.findings {
            let sev = if f.severity == docseal::report::Severity::Error {
                "error"
            } else {
                "warning"
            };
            let _ = writeln!(
                s,
                "{sev}: [{}] {}: {}",
                f.code,
                escape(f.path.as_deref().unwrap_or("")),
                escape(&f.message)
            );
        }
        let _ = writeln!(
            s,
            "history: {}",
            match h.verdict() {
                Verdict::Valid => "OK: every version verifies and the chain is unbroken",
                Verdict::Untrusted => "UNTRUSTED: the chain is unbroken, but not every version is signed by enough keys you trust",
                _ => "BROKEN",
            }
        );
        super::print_out(&s)?;
    }
    Ok(h.verdict().exit_code())
}
