#!/usr/bin/env bash
# The hash cache's benchmark (issue: reopening 1,000 unchanged images).
#   1. 1,000 images of 4 KiB .. 8 MiB (about 4 GiB): `gvmi hash` wall time
#      with an empty cache (cold) and then with the cache filled (warm,
#      median of 5). Target: warm <= 150 ms and <= 1/20 of cold.
#   2. A cache of 100,000 entries (100,000 one-byte images hashed once):
#      its file size and the time to load it (`gvmi cache stats` reads and
#      checks the whole file). Target: <= 20 MiB, <= 200 ms.
# Data goes under target/bench-data/cache (kept between runs; delete it to
# regenerate). QUICK=1 shrinks both sets for a smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gvmi
gvmi=$PWD/target/release/gvmi
data=$PWD/target/bench-data/cache
images=${IMAGES:-1000}
entries=${ENTRIES:-100000}
if [ "${QUICK:-0}" = 1 ]; then images=50; entries=2000; fi
mkdir -p "$data"

ms() { # wall milliseconds of a command, output discarded
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "--- making $images images and $entries tiny ones (once)"
python3 - "$data" "$images" "$entries" <<'PY'
import os, random, sys
data, images, entries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(224)
big = os.path.join(data, f"images-{images}")
if not os.path.isdir(big):
    os.makedirs(big + ".part", exist_ok=True)
    seed = rnd.randbytes(8 << 20)
    for i in range(images):
        size = rnd.randint(4 << 10, 8 << 20)
        with open(os.path.join(big + ".part", f"image-{i:04}.gvmi"), "wb") as f:
            f.write(i.to_bytes(8, "little") + seed[: size - 8])
    os.rename(big + ".part", big)
small = os.path.join(data, f"tiny-{entries}")
if not os.path.isdir(small):
    for i in range(entries):
        d = os.path.join(small + ".part", f"set-{i // 1000:03}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"golem-example-image-{i:06}.gvmi"), "wb") as f:
            f.write(bytes([i % 256]))
    os.rename(small + ".part", small)
PY
sleep 1 # let the newest files age past the cache's racy window

export XDG_CACHE_HOME=$data/xdg
rm -rf "$XDG_CACHE_HOME"
echo "--- $images images: cold (empty cache), then warm"
cold=$(ms "$gvmi" hash --quiet "$data/images-$images")
warm=$(for _ in 1 2 3 4 5; do ms "$gvmi" hash --quiet "$data/images-$images"; done | median)
bytes=$(du -sb "$data/images-$images" | cut -f1)
echo "images: $images, $((bytes / 1048576)) MiB"
echo "cold:   $cold ms"
echo "warm:   $warm ms (median of 5), cold/warm = $((cold / (warm > 0 ? warm : 1)))x"

rm -rf "$XDG_CACHE_HOME"
echo "--- cache of $entries entries"
"$gvmi" hash --quiet "$data/tiny-$entries" >/dev/null
size=$(stat -c %s "$XDG_CACHE_HOME/gvmi/hashes.v1.bin")
load=$(for _ in 1 2 3 4 5; do ms "$gvmi" cache stats; done | median)
"$gvmi" cache stats | sed -n 2p
echo "file:   $size bytes ($((size / 1024)) KiB)"
echo "load:   $load ms (median of 5, whole process: read, checksum, decode)"
