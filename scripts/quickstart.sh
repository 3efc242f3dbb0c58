#!/usr/bin/env bash
# The main job on a fresh machine, with no setup and no prompt: build docseal,
# pack archive/ into a signed bundle, and verify it.
#
# Signing needs a secret key. If you have none, this creates an UNENCRYPTED
# quick-start key in ${DOCSEAL_HOME:-~/.docseal}/ (outside the repository) and
# says so. It is a local key: bundles it signs verify with its own public key,
# not with the project's published keys in keys/. For real publishing make an
# encrypted key with `docseal keygen` and pass it as DOCSEAL_SECRET_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet
bin=target/release/docseal
home="${DOCSEAL_HOME:-$HOME/.docseal}"
secret="${DOCSEAL_SECRET_KEY:-$home/quickstart.key}"
public="${DOCSEAL_PUBLIC_KEY:-${secret%.key}.pub}"
out="${1:-dist/belarus-occupation-statement.zip}"

if [ ! -f "$secret" ]; then
  mkdir -p "$(dirname "$secret")"
  chmod 700 "$(dirname "$secret")"
  echo "################################################################" >&2
  echo "# No signing key found: creating an UNENCRYPTED quick-start key #" >&2
  echo "#   secret: $secret" >&2
  echo "#   public: $public" >&2
  echo "# Keep the secret key private; use 'docseal keygen' for a real  #" >&2
  echo "# passphrase-protected key.                                      #" >&2
  echo "################################################################" >&2
  "$bin" keygen --no-passphrase --secret-key "$secret" --public-key "$public"
fi

mkdir -p "$(dirname "$out")"
"$bin" pack archive --secret-key "$secret" --output "$out" --force
"$bin" verify "$out" --public-key "$public"
echo "bundle: $out (verify it yourself: $bin verify $out --public-key $public)" >&2
