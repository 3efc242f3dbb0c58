#!/usr/bin/env python3
"""Generates the benchmark corpora deterministically (same bytes every run).

  big    one file of BIG_BYTES (default 1 GiB) of pseudo-random bytes
  mixed  50 text files of 5-200 KB and 20 binaries of 1-20 MB
  many   20,000 files of 4 KiB in 100 folders
  scale  folders for the scaling tables (sizes 1 MiB..1 GiB, counts 10..100,000)

Usage: gen_corpora.py OUT_DIR [--smoke] [--scale]
"""
import os
import random
import sys

WORDS = ("occupation treaty article convention sovereignty territory state party "
         "authority power hands occupant legitimate resistance armed partial total "
         "the of and to in a is that for on with as by be this which").split()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def random_bytes(rng, n):
    out = bytearray()
    while len(out) < n:
        step = min(64 << 20, n - len(out))
        out += rng.randbytes(step)
    return bytes(out)


def text(rng, n):
    words = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        words.append(w)
        size += len(w) + 1
    s = " ".join(words).encode()[:n]
    return s


def big(out, size):
    path = os.path.join(out, "big", "evidence.bin")
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    rng = random.Random(1)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        left = size
        while left:
            step = min(64 << 20, left)
            f.write(rng.randbytes(step))
            left -= step
    os.replace(path + ".tmp", path)


def mixed(out, smoke):
    rng = random.Random(2)
    root = os.path.join(out, "mixed")
    texts, bins = (5, 2) if smoke else (50, 20)
    for i in range(texts):
        n = rng.randint(5_000, 200_000) // (10 if smoke else 1)
        write(os.path.join(root, "texts", f"text-{i:03}.txt"), text(rng, n))
    for i in range(bins):
        n = rng.randint(1_000_000, 20_000_000) // (20 if smoke else 1)
        write(os.path.join(root, "media", f"binary-{i:03}.bin"), random_bytes(rng, n))


def many(out, count, folders, name="many"):
    rng = random.Random(3)
    root = os.path.join(out, name)
    marker = os.path.join(out, f".{name}-{count}")
    if os.path.exists(marker):
        return
    for i in range(count):
        write(os.path.join(root, f"d{i % folders:03}", f"f{i:06}.txt"), rng.randbytes(4096))
    open(marker, "w").close()


def scale(out):
    for mib in (1, 16, 256, 1024):
        path = os.path.join(out, "scale-size", f"{mib}", "file.bin")
        if not os.path.exists(path):
            rng = random.Random(mib)
            write(path, random_bytes(rng, mib << 20))
    for count in (10, 1_000, 10_000, 100_000):
        many(os.path.join(out, "scale-count"), count, max(1, count // 200), name=str(count))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    smoke = "--smoke" in sys.argv
    big(out, (8 << 20) if smoke else (1 << 30))
    mixed(out, smoke)
    many(out, 200 if smoke else 20_000, 10 if smoke else 100)
    if "--scale" in sys.argv:
        scale(out)


if __name__ == "__main__":
    main()
