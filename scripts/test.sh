#!/usr/bin/env bash
# Runs all of docseal's tests against the real peers (minisign, unzip,
# sha256sum, bagit-python), installing any that are missing first.
# Under CI=true a missing peer fails its test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-peers.sh
export DOCSEAL_REQUIRE_PEERS=1
cargo test --locked --all-targets -- "$@"
