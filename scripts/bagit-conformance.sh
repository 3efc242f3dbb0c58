#!/usr/bin/env bash
# Prints the Markdown table of docs/CONFORMANCE.md: every bag of the Library
# of Congress BagIt conformance suite, its expectation, docseal's verdict
# (`verify --bag-only`) with its finding codes, and bagit-python's verdict.
# Usage: scripts/bagit-conformance.sh [SUITE_DIR]   (default ../shared/bagit-conformance-suite)
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-../shared/bagit-conformance-suite}"
[ -d "$suite" ] || { echo "no conformance suite at $suite" >&2; exit 1; }
cargo build -q
bin="${CARGO_TARGET_DIR:-target}/debug/docseal"

echo "| bag | expected | docseal | docseal's findings | bagit-python 1.9 |"
echo "|---|---|---|---|---|"
for bag in "$suite"/v*/*/*/; do
  rel="${bag#"$suite"/}"; rel="${rel%/}"
  expectation="$(echo "$rel" | cut -d/ -f2)"
  json="$("$bin" verify --bag-only --json "$bag" || true)"
  summary="$(printf '%s' "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
codes = []
for f in r["findings"]:
    c = ("" if f["severity"] == "error" else f["severity"] + " ") + f["code"]
    if c not in codes:
        codes.append(c)
print(r["verdict"] + "\t" + (", ".join("`%s`" % c for c in codes) or "none"))')"
  verdict="${summary%%$'\t'*}"; findings="${summary#*$'\t'}"
  if python3 -m bagit --validate --quiet "$bag" 2>/dev/null; then py=valid; else py=invalid; fi
  echo "| \`$rel\` | $expectation | $verdict | $findings | $py |"
done
