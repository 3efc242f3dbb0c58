#!/usr/bin/env bash
# docseal benchmarks: docseal against openssl, bagit-python, minisign and
# Info-ZIP on generated corpora, timed with hyperfine (whole-process medians,
# warm page cache), peak memory with GNU time. Writes docs/PERFORMANCE.md.
#
#   bench/run.sh            full run (about 15 minutes; needs ~6 GB of disk)
#   bench/run.sh --smoke    tiny corpora, one run each, seconds; checks the
#                           script end to end and writes bench/work/smoke.md
#   bench/run.sh --scale    also the scaling tables (1 MiB..1 GiB, 10..100,000 files)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
smoke=0; scale=0
for a in "$@"; do
  case "$a" in
    --smoke) smoke=1 ;;
    --scale) scale=1 ;;
    *) echo "usage: bench/run.sh [--smoke] [--scale]" >&2; exit 2 ;;
  esac
done

for tool in hyperfine openssl minisign zip unzip /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-test-peers.sh installs it)" >&2; exit 1; }
done
python3 -c 'import bagit' || { echo "bench: bagit-python is missing" >&2; exit 1; }

cargo build --release --locked --quiet
bin="$root/target/release/docseal"
"$bin" --version | sed 's/^/bench: /' >&2   # names the SHA-256 backend (SHA-NI or not)
work="$root/bench/work/$([ $smoke = 1 ] && echo smoke || echo full)"
res="$work/results"
mkdir -p "$work" "$res"
rm -f "$res"/*.json "$res"/*.mem

gen_args=("$work/corpora"); [ $smoke = 1 ] && gen_args+=(--smoke); [ $scale = 1 ] && gen_args+=(--scale)
python3 bench/gen_corpora.py "${gen_args[@]}"
c="$work/corpora"

"$bin" keygen --no-passphrase --force -q -s "$work/bench.key" -p "$work/bench.pub"
export SOURCE_DATE_EPOCH=1764288000

runs=(--warmup 3 --min-runs 10)
[ $smoke = 1 ] && runs=(--runs 1)

# hyperfine NAME COMMAND [extra hyperfine args...]
bench() {
  local name=$1 cmd=$2; shift 2
  hyperfine --style none --shell=none "${runs[@]}" "$@" --export-json "$res/$name.json" "$cmd" >/dev/null 2>"$res/$name.err" \
    || { echo "bench: $name failed:" >&2; cat "$res/$name.err" >&2; exit 1; }
  printf '  %-28s done\n' "$name" >&2
}
# Peak resident memory (KiB) of one run.
mem() {
  local name=$1; shift
  /usr/bin/time -f %M -o "$res/$name.mem" "$@" >/dev/null 2>&1 || { echo "bench: $name failed" >&2; exit 1; }
}

files() { find "$1" -type f | LC_ALL=C sort | tr '\n' ' '; }

for corpus in big mixed many; do
  dir="$c/$corpus"; zipf="$work/$corpus.zip"
  echo "corpus $corpus" >&2
  # Each run packs to a fresh path, as Info-ZIP's does: deleting the previous
  # bundle (freeing its page cache) is not part of packing.
  bench "pack-$corpus" "$bin pack $dir -q -s $work/bench.key -o $zipf" --prepare "rm -f $zipf"
  bench "verify-$corpus" "$bin verify $zipf -q -p $work/bench.pub"
  if [ "$corpus" != many ]; then
    bench "openssl-$corpus" "openssl dgst -sha256 $(files "$dir")"
  fi
  bench "zip-$corpus" "bash -c 'cd $dir && zip -q -r -0 $work/$corpus-infozip.zip .'" --prepare "rm -f $work/$corpus-infozip.zip"
  bench "unzip-t-$corpus" "unzip -tq $zipf"
  mem "mem-pack-$corpus" "$bin" pack "$dir" -q -f -s "$work/bench.key" -o "$zipf"
  mem "mem-verify-$corpus" "$bin" verify "$zipf" -q -p "$work/bench.pub"
  mem "mem-list-$corpus" "$bin" list "$zipf"
  mkdir -p "$work/$corpus-x"; rm -rf "$work/$corpus-x/out"
  mem "mem-extract-$corpus" "$bin" extract "$zipf" -q -p "$work/bench.pub" -o "$work/$corpus-x/out"
  rm -rf "$work/$corpus-x"
done

# bagit-python on the many-files corpus: create (on a fresh copy each run) and validate.
bag="$work/many-bag"
bench "bagit-create-many" "python3 -m bagit --sha256 --processes 2 --quiet $bag" --prepare "bash -c 'rm -rf $bag && cp -r $c/many $bag'"
rm -rf "$bag"; cp -r "$c/many" "$bag"; python3 -m bagit --sha256 --processes 2 --quiet "$bag"
bench "bagit-validate-many" "python3 -m bagit --validate --processes 2 --quiet $bag"
bench "list-many" "$bin list $work/many.zip"
rm -rf "$work/big-tags"   # signatures of an earlier run's key would be found too
unzip -q -o "$work/big.zip" "*/tagmanifest-sha256.txt" "*/signatures/*" -d "$work/big-tags"
tm=$(find "$work/big-tags" -name tagmanifest-sha256.txt); sig=$(find "$work/big-tags" -name '*.minisig')
bench "minisign-verify-tagmanifest" "minisign -Vq -p $work/bench.pub -m $tm -x $sig"

# Unlocking a passphrase-protected key runs scrypt at minisign's settings
# (deliberately slow and memory-hard); excluded above, measured here on a
# one-file folder with the same key stored plain and encrypted.
DOCSEAL_PASSPHRASE=bench-passphrase "$bin" keygen --force -q -s "$work/bench-enc.key" -p "$work/bench-enc.pub"
mkdir -p "$work/tiny"; printf 'one line\n' >"$work/tiny/note.txt"
bench "key-plain-pack-tiny" "$bin pack $work/tiny -q -f -s $work/bench.key -o $work/tiny.zip"
DOCSEAL_PASSPHRASE=bench-passphrase bench "key-encrypted-pack-tiny" "$bin pack $work/tiny -q -f -s $work/bench-enc.key -o $work/tiny.zip"
DOCSEAL_PASSPHRASE=bench-passphrase mem "mem-key-encrypted-pack-tiny" "$bin" pack "$work/tiny" -q -f -s "$work/bench-enc.key" -o "$work/tiny.zip"

if [ $scale = 1 ]; then
  for d in "$c"/scale-size/* "$c"/scale-count/*; do
    [ -d "$d" ] || continue
    kind=$(basename "$(dirname "$d")"); n=$(basename "$d")
    bench "scale-pack-$kind-$n" "$bin pack $d -q -s $work/bench.key -o $work/scale.zip" --prepare "rm -f $work/scale.zip"
    bench "scale-verify-$kind-$n" "$bin verify $work/scale.zip -q -p $work/bench.pub"
    mem "mem-scale-pack-$kind-$n" "$bin" pack "$d" -q -f -s "$work/bench.key" -o "$work/scale.zip"
    mem "mem-scale-verify-$kind-$n" "$bin" verify "$work/scale.zip" -q -p "$work/bench.pub"
  done
fi

out="$root/docs/PERFORMANCE.md"; [ $smoke = 1 ] && out="$work/smoke.md"
python3 bench/report.py "$res" "$out" "$([ $smoke = 1 ] && echo smoke || echo full)"
echo "bench: wrote $out" >&2
