#!/usr/bin/env bash
# Browser tests of the page (web/README.md): builds dist/web/ (and checks a
# rebuild is byte-identical), makes the fixtures with the docseal CLI, and
# runs the wasm core's tests (web/crate/tests/core.rs, "web core: N passed,
# M failed") and web/tests/browser.test.mjs in headless Debian chromium
# through playwright-core. Closes with "web: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

if [ ! -x /usr/bin/chromium ]; then
  echo "test-web: /usr/bin/chromium is missing (scripts/install-test-peers.sh installs it)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "test-web: node is missing" >&2; exit 1; }

bash scripts/build-web.sh
# Reproducible: a second packaging of the same build is byte-identical
# (docs: web/README.md for the clean-rebuild check).
first="$(mktemp -d)"
trap 'rm -rf "$first" "${work:-}"' EXIT
cp -a dist/web/. "$first/"
bash scripts/build-web.sh >/dev/null
diff -r "$first" dist/web >/dev/null || { echo "test-web: two builds of dist/web differ" >&2; exit 1; }
size=$(find dist/web -type f ! -name SHA256SUMS -printf '%s\n' | awk '{ s += $1 } END { print s }')
# The issue's budget: the page and its wasm (gzipped, base64) under 1.5 MB.
if [ "$size" -ge 1500000 ]; then
  echo "test-web: dist/web is $size bytes, over the 1.5 MB budget" >&2
  exit 1
fi

# The wasm core's own tests (web/crate/tests/core.rs) in headless chromium,
# through chromedriver and wasm-bindgen-test-runner (installed with
# wasm-bindgen-cli by build-web.sh, the same release as the wasm-bindgen crate).
command -v chromedriver >/dev/null || { echo "test-web: chromedriver is missing (scripts/install-test-peers.sh installs it)" >&2; exit 1; }
core_log="$(mktemp)"
set +e
(cd web/crate && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test --target wasm32-unknown-unknown --target-dir "$root/target/web" --test core) > "$core_log" 2>&1
core_rc=$?
set -e
grep -E '^test |^test result' "$core_log" || cat "$core_log"
core_pass=$(grep -c '^test .* \.\.\. ok$' "$core_log" || true)
core_fail=$(grep -c '^test .* \.\.\. FAIL$' "$core_log" || true)
echo "web core (wasm in chromium): $core_pass passed, $core_fail failed"
if [ "$core_rc" -ne 0 ] || [ "$core_pass" -eq 0 ]; then
  grep -q '^test ' "$core_log" && cat "$core_log"
  rm -f "$core_log"
  exit 1
fi
rm -f "$core_log"

cargo build --quiet --locked --bin docseal
bin="$root/target/debug/docseal"
work="$(mktemp -d)"
fx="$work/fixtures"
mkdir -p "$fx"
# Every key the page pins (keys/*.pub, in name order, as build.rs embeds them).
pinned="$(ls "$root"/keys/*.pub | LC_ALL=C sort | paste -sd:)"
valid="$root/releases/belarus-occupation-statement-v1.zip"
cp "$valid" "$fx/valid.zip"

# One byte flipped in the middle of the zip (inside a payload file).
cp "$valid" "$fx/flipped.zip"
python3 - "$fx/flipped.zip" <<'PY'
import os, sys
p = sys.argv[1]
with open(p, "r+b") as f:
    at = os.path.getsize(p) // 2
    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x01]))
PY

# Re-zipped by Info-ZIP: same content, another container.
mkdir "$work/unz"
(cd "$work/unz" && unzip -q "$valid" && zip -q -r -X "$fx/rezipped.zip" .)

printf 'This is a plain text file, not a zip.\n' > "$fx/not-a-zip.zip"

# A key nobody trusts, a small bundle and a 100 MB one signed with it.
"$bin" keygen -q -W -s "$work/other.key" -p "$fx/other.pub"
mkdir -p "$work/small" "$work/big"
printf 'A statement signed by a key the page does not know.\n' > "$work/small/statement.txt"
"$bin" pack -q -s "$work/other.key" -o "$fx/unknown-key.zip" "$work/small"
head -c 100000000 /dev/urandom > "$work/big/big.bin"
printf 'A big bundle.\n' > "$work/big/statement.txt"
"$bin" pack -q -s "$work/other.key" -o "$fx/big.zip" "$work/big"
rm -rf "$work/big" "$work/unz"

(cd web/tests && npm ci --no-audit --no-fund --silent)
set +e
DOCSEAL_WEB_DIST="$root/dist/web" DOCSEAL_BIN="$bin" DOCSEAL_WEB_FIXTURES="$fx" \
  DOCSEAL_PINNED_KEY="$pinned" DOCSEAL_WEB_SCREENSHOTS="${DOCSEAL_WEB_SCREENSHOTS:-$root/target/web/screenshots}" \
  node --test --test-reporter=tap web/tests/browser.test.mjs > "$work/tap.txt" 2>&1
rc=$?
set -e
cat "$work/tap.txt"
pass=$(grep -c '^ok ' "$work/tap.txt" || true)
fail=$(grep -c '^not ok ' "$work/tap.txt" || true)
echo "web: $pass passed, $fail failed"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
