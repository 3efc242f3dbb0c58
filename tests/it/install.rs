//! docseal installed like any CLI: shell completions, a man page, `--help`
//! documenting the environment, exit codes and key locations, the default
//! key locations read by the binary itself, and the quick-start script
//! whatever CARGO_TARGET_DIR is.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs `sh -c script` with `stdin` from a file; (exit code, stdout, stderr).
fn sh(script: &str, stdin: &Path) -> Run {
    let o = Command::new("bash")
        .args(["-c", script])
        .stdin(fs::File::open(stdin).unwrap())
        .output()
        .unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    let f = Fixture::new();
    for (shell, marker) in [
        ("bash", "complete -F _docseal"),
        ("zsh", "#compdef docseal"),
        ("fish", "complete -c docseal"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = docseal(&["completions", shell]).expect(0).stdout;
        assert!(out.contains(marker), "{shell}: {out}");
        for word in ["verify", "keygen", "public-key-string"] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
        fs::write(f.path(shell), &out).unwrap();
    }
    // bash parses it and, sourced, completes subcommands and options.
    let script = format!(
        "source {} && COMP_WORDS=(docseal veri) COMP_CWORD=1 && _docseal docseal veri docseal \
         && echo \"${{COMPREPLY[@]}}\" && COMP_WORDS=(docseal verify --key) COMP_CWORD=2 \
         && _docseal docseal --key verify && echo \"${{COMPREPLY[@]}}\"",
        f.p("bash")
    );
    let r = sh(
        &format!("bash -n {} && {script}", f.p("bash")),
        &f.path("bash"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines, ["verify", "--keyring"], "{}", r.stdout);
    if require_optional("zsh") {
        sh(&format!("zsh -n {}", f.p("zsh")), &f.path("zsh")).expect(0);
    }
    if require_optional("fish") {
        sh(
            &format!("fish --no-execute {}", f.p("fish")),
            &f.path("fish"),
        )
        .expect(0);
    }
    assert_eq!(docseal(&["completions", "tcsh"]).code, 2);
}

/// Whether an optional checker is installed (not a peer: skipping is fine).
fn require_optional(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_man_page_has_the_reference_sections_and_renders() {
    let page = docseal(&["man"]).expect(0).stdout;
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .collect();
    assert_eq!(
        sections,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "\"EXIT STATUS\"",
            "ENVIRONMENT",
            "FILES",
            "VERSION"
        ]
    );
    if !require("man") {
        return;
    }
    let f = Fixture::new();
    fs::write(f.path("docseal.1"), &page).unwrap();
    let r = Command::new("man")
        .args(["-l", &f.p("docseal.1")])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    for needle in [
        "EXIT STATUS",
        "DOCSEAL_PASSPHRASE",
        "SOURCE_DATE_EPOCH",
        "docseal-verify(1)",
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }
}

#[test]
fn help_documents_environment_exit_codes_and_key_locations() {
    let help = docseal(&["--help"]).expect(0).stdout;
    for needle in [
        "Exit codes:",
        "Environment:",
        "Key locations:",
        "DOCSEAL_PASSPHRASE",
        "DOCSEAL_SECRET_KEY",
        "DOCSEAL_HOME",
        "SOURCE_DATE_EPOCH",
        "NO_COLOR",
        "$DOCSEAL_HOME/docseal.key",
        "  101  a bug",
    ] {
        assert!(help.contains(needle), "{needle} not in:\n{help}");
    }
    // The exit codes are the library's.
    use docseal::error::exit;
    for (code, start) in [
        (exit::REJECTED, "bundle rejected"),
        (exit::USAGE, "usage error"),
        (exit::UNTRUSTED, "bundle intact"),
        (exit::BAD_INPUT, "bad input"),
        (exit::IO, "I/O error"),
        (exit::EXISTS, "output exists"),
    ] {
        let row = format!("  {code:<3}  {start}");
        assert!(help.contains(&row), "{row:?} not in:\n{help}");
    }
    // Snapshot of the whole text (DOCSEAL_UPDATE_SNAPSHOTS=1 rewrites it).
    let snapshot = repo("tests/it/snapshots/help.txt");
    if std::env::var_os("DOCSEAL_UPDATE_SNAPSHOTS").is_some() {
        fs::write(&snapshot, &help).unwrap();
    }
    let want = fs::read_to_string(&snapshot).unwrap_or_default();
    assert_eq!(
        help, want,
        "docseal --help changed; DOCSEAL_UPDATE_SNAPSHOTS=1 updates {snapshot:?}"
    );
}

#[test]
fn no_color_turns_colour_off_even_when_forced() {
    let forced = docseal_env(&["--help"], &[("CLICOLOR_FORCE", "1")]).expect(0);
    assert!(forced.stdout.contains('\u{1b}'), "colour is forced on");
    let off = docseal_env(&["--help"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).expect(0);
    assert!(!off.stdout.contains('\u{1b}'), "{}", off.stdout);
    let r = docseal_env(&["verify"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\u{1b}'), "{}", r.stderr);
}

#[test]
fn docseal_home_and_docseal_secret_key_are_read_by_the_binary() {
    let f = Fixture::new();
    let home = f.path("home/keys");
    let env = [("DOCSEAL_HOME", home.to_str().unwrap())];
    // keygen with no paths writes the default pair, creating the folder.
    docseal_env(&["keygen", "--no-passphrase", "-q"], &env).expect(0);
    let (sk, pk) = (home.join("docseal.key"), home.join("docseal.pub"));
    assert!(sk.is_file() && pk.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&sk), mode(&home)), (0o600, 0o700));
    }
    // pack and sign with no --secret-key use it.
    docseal_env(&["pack", &f.p("in"), "-q", "-o", &f.p("h.zip")], &env).expect(0);
    docseal(&[
        "verify",
        &f.p("h.zip"),
        "-p",
        &pk.display().to_string(),
        "-q",
    ])
    .expect(0);
    // DOCSEAL_SECRET_KEY wins over the folder.
    let alice = [
        ("DOCSEAL_HOME", home.to_str().unwrap()),
        ("DOCSEAL_SECRET_KEY", &f.p("alice.key")),
    ];
    docseal_env(&["pack", &f.p("in"), "-q", "-o", &f.p("a.zip")], &alice).expect(0);
    docseal(&["verify", &f.p("a.zip"), "-p", &f.p("alice.pub"), "-q"]).expect(0);
    docseal_env(&["sign", &f.p("a.zip"), "-q"], &env).expect(0);
    let both = ["verify", &f.p("a.zip"), "-p", &f.p("alice.pub"), "-p"];
    let mut both: Vec<String> = both.iter().map(|s| s.to_string()).collect();
    both.extend([
        pk.display().to_string(),
        "--threshold".into(),
        "2".into(),
        "-q".into(),
    ]);
    let both: Vec<&str> = both.iter().map(String::as_str).collect();
    docseal(&both).expect(0);
    // A DOCSEAL_SECRET_KEY in the environment does not conflict with --minisig
    // (here the signature file is missing: an I/O error, not a usage error).
    let nosig = [
        "sign",
        &f.p("a.zip"),
        "--minisig",
        &f.p("none.minisig"),
        "-p",
        &f.p("alice.pub"),
    ];
    assert_eq!(docseal_env(&nosig, &alice).code, 5);
    // No key at the default place: one line saying where and what to do.
    let empty = [("DOCSEAL_HOME", f.path("nowhere").display().to_string())];
    let empty: Vec<(&str, &str)> = empty.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = docseal_env(&["pack", &f.p("in"), "-o", &f.p("n.zip")], &empty);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("nowhere/docseal.key: no secret key here; make one with `docseal keygen`"),
        "{}",
        r.stderr
    );
}

/// The quick start with CARGO_TARGET_DIR set to a fresh folder. To stay
/// quick it does not rebuild docseal: `CARGO` points the script at a
/// stand-in for `cargo build` that puts the binary this test suite already
/// built into `$CARGO_TARGET_DIR/release/` and reports it in cargo's JSON
/// message format, as the real cargo does. `.ci/run` runs the script with a
/// real build into a fresh CARGO_TARGET_DIR.
#[test]
fn quickstart_works_whatever_cargo_target_dir_is() {
    let f = Fixture::new();
    let target = f.path("elsewhere/target");
    let fake = f.path("fake-cargo");
    fs::write(
        &fake,
        format!(
            "#!/bin/sh\n[ \"$1\" = build ] || exit 97\nmkdir -p \"$CARGO_TARGET_DIR/release\"\n\
             cp '{}' \"$CARGO_TARGET_DIR/release/docseal\"\n\
             printf '{{\"reason\":\"compiler-artifact\",\"fresh\":true,\"executable\":\"%s\"}}\\n' \"$CARGO_TARGET_DIR/release/docseal\"\n\
             printf '{{\"reason\":\"build-finished\",\"success\":true}}\\n'\n",
            env!("CARGO_BIN_EXE_docseal")
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let home = f.path("dh");
    let run = |cargo: &Path, out: &str| {
        Command::new("bash")
            .arg(repo("scripts/quickstart.sh"))
            .arg(f.path(out))
            .env("CARGO", cargo)
            .env("CARGO_TARGET_DIR", &target)
            .env("DOCSEAL_HOME", &home)
            .env_remove("DOCSEAL_SECRET_KEY")
            .env_remove("DOCSEAL_PUBLIC_KEY")
            .env_remove("DOCSEAL_PASSPHRASE")
            .output()
            .unwrap()
    };
    let o = run(&fake, "dist/b.zip");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("created an UNENCRYPTED quick-start key"),
        "{stderr}"
    );
    let bin = target.join("release/docseal").display().to_string();
    assert!(
        stderr.contains(&format!("verify it yourself: {bin} verify")),
        "{stderr}"
    );
    let public = home.join("quickstart.pub").display().to_string();
    docseal(&["verify", &f.p("dist/b.zip"), "-p", &public, "-q"]).expect(0);
    // A second run reuses the key and says nothing about creating one.
    let o = run(&fake, "dist/c.zip");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success() && !stderr.contains("quick-start key"),
        "{stderr}"
    );
    // A failed build stops it before anything is claimed or created.
    fs::remove_dir_all(&home).unwrap();
    let o = run(Path::new("/bin/false"), "dist/d.zip");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(
        stderr.contains("nothing done") && !stderr.contains("key"),
        "{stderr}"
    );
    assert!(!home.exists() && !f.path("dist/d.zip").exists());
}
