#!/usr/bin/env bash
# Runs docseal's cargo-fuzz targets (docs/FUZZING.md).
#
#   scripts/fuzz.sh SECONDS [TARGET ...]   each target for SECONDS, all at once
#   scripts/fuzz.sh --smoke                 every target for 10 s (CI)
#
# FUZZ_TIMEOUT=N makes an input slower than N seconds (default 10) a
# failure: raise it on a loaded machine, where the release bundles (370 KB,
# every citation re-checked, under AddressSanitizer) can take seconds.
#
# Needs the nightly toolchain; installs cargo-fuzz if it is missing. The
# working corpus is fuzz/corpus/<target> (git-ignored), started from the
# committed seeds in fuzz/seeds/<target> and the release bundles. Crash inputs
# land in fuzz/artifacts/<target>/; the script exits 1 if there is any, so
# a crash turns CI red. Save each one as tests/vectors/fuzz/<target>-<name>.bin
# to replay it in `cargo test` (tests/it/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

all=(verify_bundle minisign bagit manifest_json description zip_reader bag_only zip_differential timestamp_token)
case "${1:-}" in
--smoke) seconds=10 ;;
'' | *[!0-9]*)
    echo "usage: $0 SECONDS [TARGET ...] | --smoke" >&2
    exit 2
    ;;
*) seconds=$1 ;;
esac
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz: no nightly toolchain (rustup toolchain install nightly)" >&2
    exit 2
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz@0.13.2

(cd fuzz && cargo +nightly fuzz build -O)
bin="${CARGO_TARGET_DIR:-fuzz/target}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
bin="$bin/x86_64-unknown-linux-gnu/release"

# The scratch files the targets write go to a tmpfs when there is one.
scratch=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/docseal-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

pids=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" fuzz/logs
    cp -n "fuzz/seeds/$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
    case "$t" in verify_bundle | zip_reader | zip_differential) cp -n releases/*.zip "fuzz/corpus/$t/" 2>/dev/null || true ;; esac
    TMPDIR="$scratch" "$bin/$t" "fuzz/corpus/$t" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-10}" \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" \
        >"fuzz/logs/$t.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!pids[@]}"; do
    t=${targets[$i]}
    if wait "${pids[$i]}"; then
        runs=$(grep -a 'stat::number_of_executed_units' "fuzz/logs/$t.log" | awk '{print $2}')
        echo "fuzz: $t: ${runs:-?} runs in ${seconds} s, no crash"
    else
        echo "fuzz: $t: FAILED, see fuzz/logs/$t.log and fuzz/artifacts/$t/" >&2
        tail -n 30 "fuzz/logs/$t.log" >&2
        status=1
    fi
done
exit $status
