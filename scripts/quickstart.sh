#!/usr/bin/env bash
# The main job on a fresh machine, with no setup and no prompt: build docseal,
# pack archive/ into a signed bundle, and verify it.
#
# Signing needs a secret key. If you have none, this creates an UNENCRYPTED
# quick-start key in ${DOCSEAL_HOME:-~/.docseal}/ (outside the repository) and
# says so. It is a local key: bundles it signs verify with its own public key,
# not with the project's published keys in keys/. For real publishing make an
# encrypted key with `docseal keygen` and pass it as DOCSEAL_SECRET_KEY.
#
# The binary's path comes from cargo itself, so this works whatever
# CARGO_TARGET_DIR (or build.target-dir) says; CARGO names the cargo to run.
set -euo pipefail
cd "$(dirname "$0")/.."

# cargo's JSON messages name each built executable; take docseal's. JSON
# escapes backslashes (Windows paths), so undo that.
if ! bin="$("${CARGO:-cargo}" build --release --locked --quiet --bin docseal \
              --message-format=json-render-diagnostics \
            | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' \
            | sed 's/\\\\/\\/g' | tail -n 1)"; then
  echo "quickstart: the build failed; nothing done" >&2
  exit 1
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "quickstart: cargo reported no docseal binary (got '${bin}'); nothing done" >&2
  exit 1
fi

home="${DOCSEAL_HOME:-$HOME/.docseal}"
secret="${DOCSEAL_SECRET_KEY:-$home/quickstart.key}"
public="${DOCSEAL_PUBLIC_KEY:-${secret%.key}.pub}"
out="${1:-dist/belarus-occupation-statement.zip}"

if [ ! -f "$secret" ]; then
  mkdir -p "$(dirname "$secret")"
  chmod 700 "$(dirname "$secret")"
  # Said only once the key exists, so the message is never a false claim.
  "$bin" keygen --no-passphrase --quiet --secret-key "$secret" --public-key "$public"
  echo "################################################################" >&2
  echo "# No signing key found: created an UNENCRYPTED quick-start key  #" >&2
  echo "#   secret: $secret" >&2
  echo "#   public: $public" >&2
  echo "# Keep the secret key private; use 'docseal keygen' for a real  #" >&2
  echo "# passphrase-protected key.                                      #" >&2
  echo "################################################################" >&2
fi

mkdir -p "$(dirname "$out")"
"$bin" pack archive --secret-key "$secret" --output "$out" --force
"$bin" verify "$out" --public-key "$public"
echo "bundle: $out (verify it yourself: $bin verify $out --public-key $public)" >&2
