#!/usr/bin/env bash
# `gvmi publish`'s benchmark (issue 13): publish 1 GiB, and 8 x 128 MiB, to an
# S3 server on loopback (moto, from tests/sdk/setup.sh), against the larger of
#   (a) `gvmi hash --no-cache` of the same files (reading + hashing), and
#   (b) boto3's `upload_file` of the same files to the same server (its
#       default multipart: 8 MiB parts, 10 threads): the upload alone.
# Target: publish <= 1.15 x max(a, b), i.e. hashing hidden behind the upload;
# max RSS (/usr/bin/time -v) <= 64 MiB. Two publish runs per case: `cold`
# (no cached hash: parts go to a staging key, then a server-side copy adds
# the hash) and `cached` (hash from the cache: straight to the key).
# Each run gets a fresh server. Data under target/bench-data/publish.
# QUICK=1: 128 MiB and 4 x 32 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${GVMI:-}" ] || cargo build --release --quiet --bin gvmi
gvmi=${GVMI:-$PWD/target/release/gvmi}
venv=${GVMI_SDK_ENV:-$PWD/target/sdk-env}/moto
[ -x "$venv/bin/moto_server" ] || { echo "moto missing: run tests/sdk/setup.sh" >&2; exit 1; }
data=$PWD/target/bench-data/publish
big=$((1024 << 20)); small=$((128 << 20)); count=8
if [ "${QUICK:-0}" = 1 ]; then big=$((128 << 20)); small=$((32 << 20)); count=4; fi
port=${PORT:-5099}
endpoint=http://127.0.0.1:$port
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
export XDG_CACHE_HOME=$data/cache XDG_STATE_HOME=$data/state

mkdir -p "$data/one" "$data/eight"
[ -f "$data/one/big.gvmi" ] && [ "$(stat -c %s "$data/one/big.gvmi")" = $big ] ||
  head -c $big /dev/urandom > "$data/one/big.gvmi"
for i in $(seq 1 $count); do
  f=$data/eight/part$i.gvmi
  [ -f "$f" ] && [ "$(stat -c %s "$f")" = $small ] || head -c $small /dev/urandom > "$f"
done

server=""
start_server() {
  "$venv/bin/moto_server" -H 127.0.0.1 -p $port >/dev/null 2>&1 &
  server=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.1; done
  "$venv/bin/python" -c "import boto3; boto3.client('s3', endpoint_url='$endpoint').create_bucket(Bucket='bench')"
}
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap stop_server EXIT

measure() { # prints "wall-seconds max-RSS-KiB" of a command (its output discarded)
  local log; log=$(mktemp)
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; cat "$log" >&2; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident/ { r = $2 } END { print s, r }' "$log"
  rm -f "$log"
}

cat > "$data/boto_upload.py" <<'PY'
import boto3, os, sys
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
for name in sorted(os.listdir(sys.argv[2])):
    s3.upload_file(os.path.join(sys.argv[2], name), 'bench', 'boto/' + name)
PY

run_case() { # label folder
  local label=$1 dir=$2
  echo "--- $label ($(du -sh "$dir" | cut -f1)); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  local hash hash_rss upload upload_rss cold cold_rss cached cached_rss
  read -r hash hash_rss < <(measure "$gvmi" hash --no-cache "$dir")
  start_server; read -r upload upload_rss < <(measure "$venv/bin/python" "$data/boto_upload.py" "$endpoint" "$dir"); stop_server
  rm -rf "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
  local args=(publish "$dir" --to s3://bench/gvmi --endpoint "$endpoint"
    --public-base-url "$endpoint/bench/gvmi/" --acl public-read)
  start_server; read -r cold cold_rss < <(measure "$gvmi" "${args[@]}"); stop_server
  start_server; read -r cached cached_rss < <(measure "$gvmi" "${args[@]}"); stop_server
  awk -v h="$hash" -v u="$upload" -v c="$cold" -v w="$cached" -v hr="$hash_rss" \
      -v cr="$cold_rss" -v wr="$cached_rss" 'BEGIN {
    base = (h > u) ? h : u
    printf "gvmi hash --no-cache   %7.2f s  (max RSS %d MiB)\n", h, hr / 1024
    printf "boto3 upload_file      %7.2f s\n", u
    printf "gvmi publish (cold)    %7.2f s  %.2fx  max RSS %d MiB  %s\n", c, c / base, cr / 1024, (c / base <= 1.15 && cr <= 65536) ? "PASS" : "MISS"
    printf "gvmi publish (cached)  %7.2f s  %.2fx  max RSS %d MiB  %s\n", w, w / base, wr / 1024, (w / base <= 1.15 && wr <= 65536) ? "PASS" : "MISS"
  }'
}

run_case "1 x $((big >> 20)) MiB" "$data/one"
run_case "$count x $((small >> 20)) MiB" "$data/eight"
