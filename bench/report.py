#!/usr/bin/env python3
"""Turns bench/run.sh's hyperfine JSON and GNU time figures into docs/PERFORMANCE.md."""
import glob
import json
import os
import platform
import subprocess
import sys


def load(res):
    t, m = {}, {}
    for f in glob.glob(os.path.join(res, "*.json")):
        with open(f) as fh:
            r = json.load(fh)["results"][0]
        t[os.path.basename(f)[:-5]] = (r["median"], r.get("stddev") or 0.0, len(r["times"]))
    for f in glob.glob(os.path.join(res, "*.mem")):
        with open(f) as fh:
            m[os.path.basename(f)[4:-4]] = int(fh.read().split()[-1]) / 1024.0
    return t, m


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main():
    res, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    t, m = load(res)
    med = lambda k: t[k][0] if k in t else float("nan")
    lines = ["# Performance", ""]
    if mode == "smoke":
        lines += ["Smoke run (tiny corpora, one run each): checks the benchmark end to end; figures mean nothing.", ""]
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1")
    ram = sh("free -g | awk '/Mem:/{print $2}'")
    bagit_v = sh("python3 -c 'import bagit; print(bagit.VERSION)'")
    zip_v = sh("zip -v | sed -n 2p")
    sha = "yes" if "sha_ni" in open("/proc/cpuinfo").read() else "no"
    backend = sh("target/release/docseal --version | sed -n 's/^SHA-256: //p'")
    lines += [
        "Measured by `bench/run.sh` (hyperfine whole-process medians, warm page cache,"
        " peak RSS by GNU time). Corpora from `bench/gen_corpora.py`: **big** = one 1 GiB file;"
        " **mixed** = 50 text files of 5-200 KB and 20 binaries of 1-20 MB;"
        " **many** = 20,000 files of 4 KiB in 100 folders.",
        "",
        f"Run: {sh('date -u +%Y-%m-%d')}, docseal at commit {sh('git rev-parse --short HEAD')}"
        f"{' (with uncommitted changes)' if sh('git status --porcelain -- src Cargo.toml Cargo.lock') else ''}.",
        "",
        f"Machine: {sh('nproc')} cores, {cpu}, SHA extensions (sha_ni): {sha}; "
        f"{ram} GiB RAM; {platform.platform()}.",
        f"Versions: {sh('target/release/docseal -V')}; {sh('rustc --version')}; "
        f"{sh('openssl version')}; bagit-python {bagit_v}; "
        f"{sh('minisign -v')}; {zip_v}; {sh('hyperfine --version')}.",
        "",
        "SHA-256 in docseal is the `sha2` crate, which detects the SHA extensions at run time;"
        f" `docseal --version` reports the backend it picks here: **{backend}**"
        " (its throughput matching `openssl dgst -sha256` on the big corpus below agrees).",
        "",
        "## Targets",
        "",
        "| target | docseal | reference | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    targets = [
        ("verify big vs openssl", "verify-big", "openssl-big", "<=", 1.1),
        ("pack big vs openssl", "pack-big", "openssl-big", "<=", 1.5),
        ("verify mixed vs openssl (sequential)", "verify-mixed", "openssl-mixed", "<=", 0.75),
        ("pack mixed vs openssl (sequential)", "pack-mixed", "openssl-mixed", "<=", 1.2),
        ("verify many: bagit-python --validate --processes 2 / docseal", "verify-many", "bagit-validate-many", ">=", 10.0),
        ("pack many: bagit-python create --processes 2 / docseal", "pack-many", "bagit-create-many", ">=", 4.0),
    ]
    for name, a, b, op, goal in targets:
        ta, tb = med(a), med(b)
        ratio = ta / tb if op == "<=" else tb / ta
        ok = ratio <= goal if op == "<=" else ratio >= goal
        lines.append(f"| {name} | {ta*1000:.0f} ms | {tb*1000:.0f} ms | {ratio:.2f}x | {op} {goal}x | {'yes' if ok else '**no**'} |")
    lm = med("list-many")
    lines.append(f"| list of the many-files bundle | {lm*1000:.0f} ms | | | <= 100 ms | {'yes' if lm <= 0.1 else '**no**'} |")
    corpus_mem = [v for k, v in m.items() if not k.startswith(("scale-", "key-"))]
    peak = max(corpus_mem) if corpus_mem else float("nan")
    lines.append(f"| peak memory, any command, any corpus | {peak:.1f} MiB | | | <= 64 MiB | {'yes' if peak <= 64 else '**no**'} |")
    if "key-encrypted-pack-tiny" in t:
        plain, enc = med("key-plain-pack-tiny"), med("key-encrypted-pack-tiny")
        mem_enc = m.get("key-encrypted-pack-tiny", float("nan"))
        lines += ["", "## Unlocking an encrypted secret key", "",
                  "Excluded from the targets above (their key was made with `--no-passphrase`). Packing a one-file"
                  f" folder takes {plain*1000:.0f} ms with a plain key and {enc*1000:.0f} ms with the same kind of key"
                  f" encrypted: unlocking costs about **{(enc-plain)*1000:.0f} ms** and {mem_enc:.0f} MiB of memory"
                  " (scrypt at minisign's settings, deliberately slow and memory-hard; paid once per command)."]
    lines += ["", "## All timings (median ± stddev, runs)", "", "| command | median | stddev | runs |", "|---|---|---|---|"]
    for k in sorted(t):
        if not k.startswith("scale-"):
            lines.append(f"| {k} | {t[k][0]*1000:.1f} ms | {t[k][1]*1000:.1f} ms | {t[k][2]} |")
    lines += ["", "## Peak memory (max RSS)", "", "| command | MiB |", "|---|---|"]
    for k in sorted(m):
        if k.startswith(("scale-", "key-")):
            continue
        lines.append(f"| {k} | {m[k]:.1f} |")
    scale = sorted(k for k in t if k.startswith("scale-"))
    if scale:
        lines += ["", "## Scaling", "",
                  "Pack and verify from 1 MiB to 1 GiB (one file of random bytes) and from 10 to"
                  " 100,000 files of 4 KiB; throughput per byte or time per file, and peak memory.", "",
                  "| command | input | median | per unit | peak memory |", "|---|---|---|---|---|"]
        # Keys are scale-<pack|verify>-scale-<size|count>-<n>.
        for k in sorted(scale, key=lambda k: (k.split("-")[1], k.split("-")[-2], int(k.split("-")[-1]))):
            parts = k.split("-")
            n = int(parts[-1])
            secs = t[k][0]
            if parts[-2] == "size":
                unit, per = f"{n} MiB", f"{(n << 20) / secs / 1e6:.0f} MB/s"
            else:
                unit, per = f"{n:,} files", f"{secs / n * 1e6:.1f} µs/file"
            mk = k  # the .mem file of the same run, "mem-" stripped by load()
            mem_s = f"{m[mk]:.1f} MiB" if mk in m else ""
            lines.append(f"| {parts[1]} | {unit} | {secs*1000:.1f} ms | {per} | {mem_s} |")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")
    if mode != "smoke" and os.path.exists(notes):
        lines += ["", open(notes).read().rstrip()]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
