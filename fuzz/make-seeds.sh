#!/usr/bin/env bash
# Makes the fuzz seeds from REAL bundles (docs/FUZZING.md, "Seeds").
#
# Builds docseal, makes a throwaway key pair, packs a small described folder
# (a statement quoting a source, as tests/it/common.rs's Fixture does) with
# it and the real archive/ with a second throwaway key, then copies the
# zips, their tag files, the keys and the signature files into
#   fuzz/seeds/<target>/   small seeds, committed (< 200 KB in all);
#   fuzz/corpus/<target>/  the same plus the large archive bundle (ignored by git).
# The verify_bundle and minisign targets embed seeds/verify_bundle/small.zip
# and seeds/minisign/seed.pub, so rerunning this script changes both
# together; rebuild the targets afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SOURCE_DATE_EPOCH=1764288000
unset DOCSEAL_PASSPHRASE

cargo build --quiet --bin docseal
docseal="${CARGO_TARGET_DIR:-$root/target}/debug/docseal"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$docseal" keygen --no-passphrase -q -s "$work/seed.key" -p "$work/seed.pub"
"$docseal" keygen --no-passphrase -q -s "$work/other.key" -p "$work/other.pub"

# The small folder: a statement with a quotation, its source, an uncited source.
mkdir -p "$work/in/sources"
printf 'The Convention applies \xe2\x80\x9cto all cases of partial or total occupation\xe2\x80\x9d, as 12 \xd0\x90ugust 1949 shows.\n' \
    >"$work/in/statement.txt"
printf 'Article 2\nThe Convention shall also apply to all cases of partial or total\noccupation of the territory.\n' \
    >"$work/in/sources/gc4.txt"
printf 'An uncited source.\n' >"$work/in/sources/other.txt"
cat >"$work/in/docseal.toml" <<'TOML'
[bundle]
name = "fuzz-seed"
title = "A fuzzing seed"
source_organization = "Test Org"

[statement]
path = "statement.txt"
title = "A statement"
authors = [{ name = "A. Author", role = "Writer" }]
language = "en"

[[sources]]
id = "gc4"
path = "sources/gc4.txt"
title = "Geneva Convention IV"
date = "1949-08-12"
extent = "excerpt"
original_url = "https://example.org/gc4"

[[sources]]
id = "other"
path = "sources/other.txt"
title = "Another source"

[[citations]]
id = "gc4-art2"
source = "gc4"
locator = "Article 2"
exact = "to all cases of partial or total occupation"
TOML

"$docseal" pack "$work/in" -q -s "$work/seed.key" -o "$work/small.zip"
"$docseal" pack archive -q -s "$work/other.key" -o "$work/archive.zip"

# The same small bag re-zipped with deflate: a seed for --allow-repacked.
python3 - "$work/small.zip" "$work/small-deflated.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, \
     zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        dst.writestr(info.filename, src.read(info.filename))
PY

unzip -q "$work/small.zip" -d "$work/small"
unzip -q "$work/archive.zip" -d "$work/archive"
small="$work/small/fuzz-seed"
big="$work/archive/belarus-occupation-statement"

seed() { # seed <target> <name> <file>: into the committed seeds
    mkdir -p "fuzz/seeds/$1"
    cp "$3" "fuzz/seeds/$1/$2"
}
rm -rf fuzz/seeds
seed verify_bundle small.zip "$work/small.zip"
seed verify_bundle small-deflated.zip "$work/small-deflated.zip"
seed zip_reader small.zip "$work/small.zip"
seed zip_reader small-deflated.zip "$work/small-deflated.zip"
seed minisign seed.pub "$work/seed.pub"
seed minisign seed.key "$work/seed.key"
for f in "$small"/signatures/*.minisig "$big"/signatures/*.minisig; do
    seed minisign "$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")" "$f"
done
for f in enc.key plain.key plain.pub message.txt.minisig message.txt.legacy.minisig; do
    seed minisign "vector-$f" "tests/vectors/minisign/$f"
done
for f in bagit.txt bag-info.txt manifest-sha256.txt tagmanifest-sha256.txt; do
    seed bagit "small-$f" "$small/$f"
    seed bagit "archive-$f" "$big/$f"
done
seed manifest_json small-docseal.json "$small/docseal.json"
seed manifest_json archive-docseal.json "$big/docseal.json"
# bag_only reads any bag: a docseal bundle, and a bag made by bagit-python (md5, sha1).
mkdir -p "$work/pybag/data/sub"
printf 'alpha\n' >"$work/pybag/data/a.txt"
printf 'beta\n' >"$work/pybag/data/sub/b.txt"
python3 -m bagit --quiet --md5 --sha1 "$work/pybag"
(cd "$work" && zip -q -r -X pybag.zip pybag)
seed bag_only small.zip "$work/small.zip"
seed bag_only bagit-python.zip "$work/pybag.zip"
seed description small-docseal.toml "$work/in/docseal.toml"
seed description archive-docseal.toml archive/docseal.toml

# The working corpus: the seeds plus the large archive bundle.
rm -rf fuzz/corpus
for t in fuzz/seeds/*/; do
    t=$(basename "$t")
    mkdir -p "fuzz/corpus/$t"
    cp "fuzz/seeds/$t"/* "fuzz/corpus/$t/"
done
cp "$work/archive.zip" fuzz/corpus/verify_bundle/archive.zip
cp "$work/archive.zip" fuzz/corpus/zip_reader/archive.zip

du -sh fuzz/seeds fuzz/corpus
