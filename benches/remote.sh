#!/usr/bin/env bash
# Remote images' benchmark (issue 22): `gvmi hash URL` and `gvmi check s3://`
# against the obvious pipelines, on loopback, page cache warm.
#
#   benches/remote.sh            # RUNS=5 paired runs per comparison
#   QUICK=1 benches/remote.sh    # 64 MiB and 8 x 8 MiB, RUNS=2 (smoke run)
#
# Cases (issue 22's targets in brackets):
#   (a) one 1 GiB object from nginx: gvmi hash URL vs `curl -s URL | openssl dgst -sha3-224`
#       [<= 1.00x];
#   (b) 8 x 128 MiB from nginx: gvmi hash URL... vs the same pipeline run for each URL in
#       turn [<= 0.50x], and under `xargs -P2` [<= 0.80x];
#   (c) an S3 audit of 8 x 128 MiB on moto (objects put there by gvmi publish):
#       gvmi check s3://bench/v1 vs `aws s3 cp --recursive` + `sha3sum -a 224` [reported].
# Each comparison runs gvmi and the anchor back to back RUNS times (order alternating);
# the table shows medians and the median of the per-pair ratios gvmi/anchor (< 1: gvmi
# faster), and gvmi's largest max RSS (/usr/bin/time) [<= 64 MiB].
#
# Needs: nginx (Debian: apt-get install nginx-light), curl, openssl, /usr/bin/time; for (c)
# moto (tests/sdk/setup.sh, or GVMI_SDK_ENV), the aws CLI (pip install awscli) and Perl's
# sha3sum. A missing tool for (c) skips that case with a note.
# Environment: GVMI=path (else target/release/gvmi is built), BENCH_DIR (default
# target/bench-data/remote), RUNS, QUICK, PORT (nginx, default 5180), S3_PORT (default 5181),
# CASES="a b c".
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
die() { echo "remote.sh: ERROR: $*" >&2; exit 1; }
note() { echo "remote.sh: $*" >&2; }

QUICK=${QUICK:-0}
CASES=${CASES:-a b c}
if [ "$QUICK" = 1 ]; then BIG_MIB=64; SMALL_MIB=8; RUNS=${RUNS:-2}; else BIG_MIB=1024; SMALL_MIB=128; RUNS=${RUNS:-5}; fi
NSMALL=8
PORT=${PORT:-5180}
S3_PORT=${S3_PORT:-5181}
data=${BENCH_DIR:-$PWD/target/bench-data/remote}
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || die "nginx not found (Debian: apt-get install nginx-light)"
for tool in curl openssl /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool not found"; done
[ -n "${GVMI:-}" ] || cargo build --release --quiet --bin gvmi
gvmi=${GVMI:-$PWD/target/release/gvmi}

# ---- data -----------------------------------------------------------------------------
mkdir -p "$data/www/v1"
make_file() { # path MiB
  [ -f "$1" ] && [ "$(stat -c %s "$1")" = $(($2 << 20)) ] || head -c $(($2 << 20)) /dev/urandom > "$1"
}
make_file "$data/www/big.gvmi" $BIG_MIB
small=()
for i in $(seq 1 $NSMALL); do make_file "$data/www/v1/part$i.gvmi" $SMALL_MIB; small+=("$data/www/v1/part$i.gvmi"); done
cat "$data"/www/big.gvmi "${small[@]}" > /dev/null # page cache warm

# ---- nginx on 127.0.0.1 ---------------------------------------------------------------
run_dir=$(mktemp -d)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$run_dir"
}
trap cleanup EXIT
user_line=""; [ "$(id -u)" = 0 ] && user_line="user root;"
cat > "$run_dir/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 1;
pid $run_dir/nginx.pid;
error_log $run_dir/error.log;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $run_dir;
  proxy_temp_path $run_dir;
  fastcgi_temp_path $run_dir;
  uwsgi_temp_path $run_dir;
  scgi_temp_path $run_dir;
  types { application/octet-stream gvmi; }
  server { listen 127.0.0.1:$PORT; root $data/www; }
}
EOF
"$nginx_bin" -c "$run_dir/nginx.conf" -p "$run_dir" &
servers+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do sleep 0.1; done
base=http://127.0.0.1:$PORT
big_url=$base/big.gvmi
small_urls=(); for f in "${small[@]}"; do small_urls+=("$base/v1/$(basename "$f")"); done

# ---- the same hash from every tool, before anything is timed --------------------------
want=$(openssl dgst -sha3-224 -r "$data/www/big.gvmi" | cut -c1-56)
got=$("$gvmi" hash "$big_url" | cut -c1-56)
[ "$got" = "$want" ] || die "gvmi hash $big_url gave $got, openssl of the file $want"
piped=$(curl -s "$big_url" | openssl dgst -sha3-224 -r | cut -c1-56)
[ "$piped" = "$want" ] || die "curl | openssl gave $piped, not $want"

# ---- timing ---------------------------------------------------------------------------
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.3f", a[(NR + 1) / 2]; else printf "%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
max_rss=0
timed() { # cmd... -> REPLY: wall seconds (max RSS kept for gvmi)
  local log; log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" > /dev/null 2>&1 || { cat "$log" >&2; die "failed: $*"; }
  read -r REPLY rss < <(tail -n1 "$log")
  rm -f "$log"
  if [ "$1" = "$gvmi" ] && [ "$rss" -gt "$max_rss" ]; then max_rss=$rss; fi
}
results=()
compare() { # label target gvmi-cmd -- anchor-cmd (as one sh -c string)
  local label=$1 target=$2; shift 2
  local g=() ; while [ "$1" != -- ]; do g+=("$1"); shift; done; shift
  local anchor=$1 gs=() as=() rs=()
  for run in $(seq 1 "$RUNS"); do
    if [ $((run % 2)) = 1 ]; then timed "${g[@]}"; gt=$REPLY; timed sh -c "$anchor"; at=$REPLY
    else timed sh -c "$anchor"; at=$REPLY; timed "${g[@]}"; gt=$REPLY; fi
    gs+=("$gt"); as+=("$at"); rs+=("$(awk -v g="$gt" -v a="$at" 'BEGIN { printf "%.4f", (a > 0) ? g / a : 0 }')")
  done
  local gm am rm; gm=$(printf '%s\n' "${gs[@]}" | median); am=$(printf '%s\n' "${as[@]}" | median)
  rm=$(printf '%s\n' "${rs[@]}" | median)
  local verdict="info"
  [ "$target" != - ] && verdict=$(awk -v r="$rm" -v t="$target" 'BEGIN { print (r <= t) ? "PASS" : "MISS" }')
  results+=("$(printf '%-44s %8ss %8ss %6sx  (target %s) %s' "$label" "$gm" "$am" "$rm" "$target" "$verdict")")
  note "$label: gvmi $gm s, anchor $am s, ratio $rm"
}

has() { [[ " $CASES " == *" $1 "* ]]; }
if has a; then
  compare "(a) 1 x ${BIG_MIB} MiB: vs curl | openssl" 1.00 "$gvmi" hash "$big_url" -- \
    "curl -s '$big_url' | openssl dgst -sha3-224"
fi
if has b; then
  seq_cmd="for u in ${small_urls[*]}; do curl -s \"\$u\" | openssl dgst -sha3-224; done"
  par_cmd="printf '%s\n' ${small_urls[*]} | xargs -P2 -I{} sh -c 'curl -s {} | openssl dgst -sha3-224'"
  compare "(b) $NSMALL x ${SMALL_MIB} MiB: vs sequential curl | openssl" 0.50 "$gvmi" hash "${small_urls[@]}" -- "$seq_cmd"
  compare "(b) $NSMALL x ${SMALL_MIB} MiB: vs xargs -P2 curl | openssl" 0.80 "$gvmi" hash "${small_urls[@]}" -- "$par_cmd"
fi
if has c; then
  venv=${GVMI_SDK_ENV:-$PWD/target/sdk-env}/moto
  if [ ! -x "$venv/bin/moto_server" ]; then note "(c) skipped: moto missing (tests/sdk/setup.sh)"
  elif ! command -v aws >/dev/null; then note "(c) skipped: the aws CLI is missing (pip install awscli)"
  elif ! command -v sha3sum >/dev/null; then note "(c) skipped: Perl's sha3sum is missing"
  else
    s3=http://127.0.0.1:$S3_PORT
    export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
    export XDG_CACHE_HOME=$run_dir/cache XDG_STATE_HOME=$run_dir/state
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT" > /dev/null 2>&1 &
    servers+=($!)
    until (exec 3<>/dev/tcp/127.0.0.1/$S3_PORT) 2>/dev/null; do sleep 0.1; done
    "$venv/bin/python" -c "import boto3; boto3.client('s3', endpoint_url='$s3').create_bucket(Bucket='bench')"
    "$gvmi" publish "$data/www/v1" --to s3://bench/v1 --endpoint "$s3" \
      --public-base-url "$s3/bench/v1/" --allow-invalid > /dev/null 2>&1 || true
    "$gvmi" check s3://bench/v1 --endpoint "$s3" > "$run_dir/audit.txt" ||
      die "gvmi check s3://bench/v1 failed: $(cat "$run_dir/audit.txt")"
    [ "$(grep -c ': OK$' "$run_dir/audit.txt")" = "$NSMALL" ] || die "audit: $(cat "$run_dir/audit.txt")"
    dl=$run_dir/download
    compare "(c) S3 audit $NSMALL x ${SMALL_MIB} MiB: vs aws s3 cp + sha3sum" - \
      "$gvmi" check s3://bench/v1 --endpoint "$s3" -- \
      "rm -rf '$dl' && aws s3 cp --quiet --recursive s3://bench/v1 '$dl' --endpoint-url '$s3' && sha3sum -a 224 '$dl'/*"
  fi
fi

echo
echo "remote images, $(nproc) cores, RUNS=$RUNS, load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %9s %9s %7s\n' "case" "gvmi" "anchor" "ratio"
printf '%s\n' "${results[@]}"
rss_mib=$((max_rss / 1024))
echo "gvmi max RSS: ${rss_mib} MiB (target 64 MiB) $([ $rss_mib -le 64 ] && echo PASS || echo MISS)"
