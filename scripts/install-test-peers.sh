#!/usr/bin/env bash
# Installs the real peers docseal's tests run against: stock minisign, Info-ZIP
# unzip/zip, libarchive's bsdtar and 7-Zip (the differential zip readers),
# coreutils sha256sum, bagit-python 1.9, rsign2 (the Rust minisign, for its
# key files; about 40 s to build), man-db (the man page test), openssl (its
# `ts` command is the local RFC 3161 TSA of tests/it/timestamp, its `req`/`ca`
# make the test PKI) and hyperfine for the benchmark smoke run. Installs only
# what is missing; needs root or sudo for the Debian packages.
set -euo pipefail

sudo_cmd=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi

need_apt=()
command -v minisign  >/dev/null 2>&1 || need_apt+=(minisign)
command -v unzip     >/dev/null 2>&1 || need_apt+=(unzip)
command -v zip       >/dev/null 2>&1 || need_apt+=(zip)
command -v bsdtar    >/dev/null 2>&1 || need_apt+=(libarchive-tools)
command -v 7z        >/dev/null 2>&1 || need_apt+=(p7zip-full)
command -v sha256sum >/dev/null 2>&1 || need_apt+=(coreutils)
command -v openssl   >/dev/null 2>&1 || need_apt+=(openssl)
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
command -v man       >/dev/null 2>&1 || need_apt+=(man-db)
# The page's browser tests (scripts/test-web.sh): Debian's chromium, and node
# with npm for playwright-core (web/tests/package-lock.json); chromedriver
# for the wasm core's own tests (wasm-bindgen-test-runner, web/crate/tests).
[ -x /usr/bin/chromium ]             || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v node      >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm       >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing with apt-get: ${need_apt[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! python3 -c 'import bagit, sys; sys.exit(0 if bagit.VERSION.startswith("1.9") else 1)' 2>/dev/null; then
  echo "installing bagit-python 1.9.0 with pip" >&2
  python3 -m pip install -q --disable-pip-version-check 'bagit==1.9.0'
fi

if ! command -v rsign >/dev/null 2>&1; then
  echo "installing rsign2 0.6.7 with cargo install" >&2
  cargo install --locked --quiet rsign2 --version 0.6.7
fi

if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "installing jsonschema with pip (validates the JSON reports against docs/schema/)" >&2
  python3 -m pip install -q --disable-pip-version-check 'jsonschema>=4.18'
fi

for tool in minisign unzip zip bsdtar 7z sha256sum openssl rsign man chromium chromedriver node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing after install: $tool" >&2; exit 1; }
done
python3 -c 'import bagit' || { echo "missing after install: bagit-python" >&2; exit 1; }
python3 -c 'import jsonschema' || { echo "missing after install: python3 jsonschema" >&2; exit 1; }
# The timestamp tests need openssl's TSA (`openssl ts -reply`, OpenSSL 1.0+).
openssl ts -help >/dev/null 2>&1 || { echo "openssl lacks the ts command (RFC 3161 TSA)" >&2; exit 1; }
