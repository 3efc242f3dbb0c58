//! The reference part of `--help` and of the man page: exit codes,
//! environment variables and default key locations, written once here so
//! that both say the same (tests/it/install.rs checks them).

/// Process exit codes (meanings fixed; the README has the same table).
pub const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "success; a verified bundle is valid"),
    (
        "1",
        "bundle rejected: content damaged, altered or malformed; or a rollback, fork, other lineage or new signer (--not-older-than, --same-signers); or notes about another bundle (--base, --with)",
    ),
    (
        "2",
        "usage error, or a path that cannot be a bundle (a URL, a pipe, a device)",
    ),
    ("3", "bundle intact but not signed by enough trusted keys"),
    (
        "4",
        "bad input other than the bundle (key, signature, passphrase, folder, description, a --not-older-than bundle that does not verify)",
    ),
    ("5", "I/O error, or a timestamp authority failed or answered with a bad token"),
    ("6", "output exists (use --force; extract never replaces a folder that is not a bag)"),
    ("130", "stopped by Ctrl-C (SIGINT); temporary files were removed"),
    ("143", "stopped by SIGTERM; temporary files were removed"),
    ("101", "a bug (a panic): please report it"),
];

/// Environment variables the binary reads.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "DOCSEAL_PASSPHRASE",
        "passphrase of an encrypted secret key (keygen, pack, sign, annotate), instead of the terminal prompt",
    ),
    (
        "DOCSEAL_SECRET_KEY",
        "secret key file when --secret-key is not given (keygen, pack, sign, annotate)",
    ),
    (
        "DOCSEAL_HOME",
        "key folder holding the default docseal.key and docseal.pub (default ~/.docseal)",
    ),
    (
        "SOURCE_DATE_EPOCH",
        "pack (and annotate) time in Unix seconds, for reproducible bundles (default: the clock)",
    ),
    (
        "NO_COLOR",
        "when set, no colour in help and usage errors (reports never use colour)",
    ),
    ("TERM", "when \"dumb\", no progress bar"),
];

/// Default key locations.
pub const FILES: &[(&str, &str)] = &[
    (
        "$DOCSEAL_HOME/docseal.key",
        "default secret key of keygen, pack and sign (~/.docseal/docseal.key; %USERPROFILE%\\.docseal on Windows)",
    ),
    (
        "$DOCSEAL_HOME/docseal.pub",
        "default public key written by keygen (beside the secret key, .pub for .key)",
    ),
    (
        "(none)",
        "public keys to trust: always given with -p, -P or --keyring",
    ),
];

/// The text after the options in `docseal --help`.
pub fn after_help() -> String {
    let mut s = String::new();
    for (title, rows) in [
        ("Exit codes", EXIT_CODES),
        ("Environment", ENVIRONMENT),
        ("Key locations", FILES),
    ] {
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(title);
        s.push_str(":\n");
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, v) in rows {
            let mut lines = wrap(v, TEXT_WIDTH.saturating_sub(width + 4)).into_iter();
            let first = lines.next().unwrap_or_default();
            s.push_str(&format!("  {k:<width$}  {first}\n"));
            for line in lines {
                s.push_str(&format!("  {:width$}  {line}\n", ""));
            }
        }
    }
    s
}

/// Help lines stay within this many columns, so no terminal re-wraps them.
const TEXT_WIDTH: usize = 79;

/// Splits `text` at spaces into lines of at most `width` columns (a longer
/// word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lines_fit_80_columns() {
        let text = after_help();
        for line in text.lines() {
            assert!(line.chars().count() <= TEXT_WIDTH, "{line:?}");
        }
        assert!(text.contains("  4    bad input"), "{text}");
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
