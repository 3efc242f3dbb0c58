//! Every row of the exit-code table, in the README and in `docseal --help`,
//! is what the program does: the two tables list the same codes, and each
//! code is produced by a real scenario.

use std::fs;

use crate::common::*;

/// The codes of the README's exit-code table.
fn readme_codes() -> Vec<i32> {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme.split("## Exit codes").nth(1).unwrap();
    table
        .lines()
        .skip_while(|l| !l.starts_with("| code"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .next()
                .unwrap()
                .trim()
                .parse()
                .unwrap()
        })
        .collect()
}

/// The codes of the exit-code list in `docseal --help`.
fn help_codes() -> Vec<i32> {
    let help = docseal(&["--help"]).expect(0).stdout;
    let list = help.split("Exit codes:").nth(1).unwrap();
    list.lines()
        .filter_map(|l| l.trim_start().split(' ').next()?.parse().ok())
        .collect()
}

#[test]
fn the_readme_and_help_tables_list_the_same_codes_and_each_one_happens() {
    let readme = readme_codes();
    assert_eq!(readme, help_codes(), "README and --help disagree");
    let f = Fixture::new();
    f.key("mallory");
    f.pack("b.zip");
    fs::write(f.path("junk.zip"), b"junk").unwrap();
    fs::write(f.path("bad.pub"), b"untrusted comment: x\nnot base64\n").unwrap();
    let (b, alice) = (f.p("b.zip"), f.p("alice.pub"));
    for code in readme {
        let run = match code {
            0 => docseal(&["verify", &b, "-p", &alice]),
            1 => docseal(&["verify", &f.p("junk.zip"), "-p", &alice]),
            2 => docseal(&["verify", &b, "--no-such-flag"]),
            3 => docseal(&["verify", &b, "-p", &f.p("mallory.pub")]),
            4 => docseal(&["verify", &b, "-p", &f.p("bad.pub")]),
            5 => docseal(&["verify", &f.p("missing.zip"), "-p", &alice]),
            6 => docseal(&["pack", &f.p("in"), "-s", &f.p("alice.key"), "-o", &b]),
            // A panic cannot be provoked on purpose: it would be the bug it stands for.
            101 => continue,
            // A signal during a pack in progress: tests/it/signals.rs sends both.
            130 | 143 => continue,
            other => panic!("no scenario for the documented exit code {other}: add one"),
        };
        assert_eq!(run.code, code, "{}{}", run.stdout, run.stderr);
    }
}
