#!/usr/bin/env bash
# Compare `gvmi hash` against established SHA3-224 tools in one run.
#
#   benches/compare.sh                  # all cases below, page cache warm, RUNS=5
#   COLD=1 benches/compare.sh           # the same with the page cache dropped before every run
#   QUICK=1 benches/compare.sh          # small sizes, RUNS=2 (smoke run)
#
# Cases: (a) one 1 GiB file; (b) 8 x 128 MiB; (c) mixed: the 1 GiB file + 40 files of
# 1-64 MiB; (d) 10,000 tiny files (0-8 KiB); (e) 32 x 32 MiB. The end of the report is a
# PASS/MISS table against the targets of issues 2, 7, 14 and 23.
#
# Efficiency (issue 23), printed for each multi-file case: gvmi's throughput over
# (cores x the lane rate gvmi measures in memory, `gvmi __keccak-rates`, on the backend in
# force), and over the most this batch can use: a core hashes one file per lane, so
# fewer files than cores x lanes leave lanes idle (8 files on 2 cores of 8 AVX-512 lanes
# fill half of them).
#
# Environment:
#   GVMI=path        use this binary instead of building target/release/gvmi
#   BENCH_DIR=dir    where the random input files live (default target/bench-data);
#                    files that already exist with the right size are reused
#   RUNS=n           timed repetitions per (gvmi, anchor) pair (default 5, QUICK: 2)
#   QUICK=1          small sizes for a fast smoke run
#   COLD=1           drop the page cache (sync; echo 3 > /proc/sys/vm/drop_caches, root
#                    only) before every timed run: disk-bound numbers
#   CASES="a b c d e"  which cases to run (default all)
#   GVMI_KECCAK=name force gvmi's Keccak backend (reference, portable, bmi, avx512x1, avx2,
#                    avx512vl, avx512);
#                    default: the fastest this CPU runs (see `cargo bench --bench hash_throughput`)
#   BASELINE=path    also time this older gvmi binary as an anchor ("gvmi-baseline"), for
#                    "not slower than before" targets
#   PAGECACHE=mode   warm runs (COLD unset): `reread` (default) evicts each case's files from
#                    the page cache (dd iflag=nocache, those files only, no root) and reads
#                    them back once, so the page cache holds them as after a read from disk
#                    (large folios: cheaper to map and to copy); `keep` leaves it as it is
#                    (files just written by this script are held in small folios, which
#                    costs every reader, gvmi and anchors alike, more kernel time)
#
# Anchors: openssl dgst -sha3-224 (required), Perl sha3sum -a 224 (required),
# rhash --sha3-224 (optional: reported as not installed), and for the multi-file cases
# xargs -P$(nproc) openssl dgst -sha3-224 (-n1; for the tiny files -n in batches, since
# one openssl process per 4 KiB file would measure process start-up, not hashing).
# `cat FILES >/dev/null` is the floor: reading without hashing (the cold-cache yardstick).
# Every tool must print the same hash for every file before anything is timed.
# gvmi runs with --no-cache: every run reads and hashes every byte, as the anchors do.
# Load: other processes on the machine take cores from gvmi's workers (wall time) but not
# from its CPU time: the CPU line (and "per CPU-second" efficiency) is the load-independent
# figure; `uptime` is printed at the start and the end.
# Timing: wall clock, page cache warm (or dropped with COLD=1), gvmi and each anchor
# run back to back in pairs
# (order alternating per run); the table shows medians, and the ratio column is the
# median of the per-pair time ratios gvmi/anchor (< 1 means gvmi is faster).
set -euo pipefail
export LC_ALL=C

die()  { echo "compare.sh: ERROR: $*" >&2; exit 1; }
note() { echo "compare.sh: $*" >&2; }

caller_pwd="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$caller_pwd/$1" ;; esac; }

# ---- parameters -----------------------------------------------------------------------
QUICK="${QUICK:-0}"
COLD="${COLD:-0}"
CASES="${CASES:-a b c d e}"
if [[ "$QUICK" == 1 ]]; then
    BIG_MIB=64; SMALL_MIB=8; MIXED_MAX_MIB=4; NTINY=1000; MANY_MIB=2; RUNS="${RUNS:-2}"
else
    BIG_MIB=1024; SMALL_MIB=128; MIXED_MAX_MIB=64; NTINY=10000; MANY_MIB=32; RUNS="${RUNS:-5}"
fi
NSMALL=8
NMANY=32
NMIXED=40
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
for c in $CASES; do [[ $c =~ ^[abcde]$ ]] || die "CASES takes a, b, c, d, e (got '$c')"; done
has_case() { [[ " $CASES " == *" $1 "* ]]; }
if [[ "$COLD" == 1 ]]; then
    [[ -w /proc/sys/vm/drop_caches ]] || die "COLD=1 needs root (writes /proc/sys/vm/drop_caches)"
fi
if [[ -n "${BENCH_DIR:-}" ]]; then BENCH_DIR="$(abspath "$BENCH_DIR")"; else BENCH_DIR="$repo_root/target/bench-data"; fi

# ---- tools ----------------------------------------------------------------------------
EMPTY_SHA3_224=6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7

command -v openssl >/dev/null || die "required anchor 'openssl' not found (apt install openssl)"
openssl dgst -sha3-224 </dev/null 2>/dev/null | grep -q "$EMPTY_SHA3_224" \
    || die "'openssl dgst -sha3-224' does not work here (OpenSSL >= 1.1.1 needed)"
command -v sha3sum >/dev/null || die "required anchor 'sha3sum' not found (apt install libdigest-sha3-perl)"
sha3sum -a 224 </dev/null 2>/dev/null | grep -q "$EMPTY_SHA3_224" \
    || die "'sha3sum -a 224' does not give FIPS-202 SHA3-224 (need Perl Digest::SHA3's sha3sum)"
HAVE_RHASH=0
if command -v rhash >/dev/null && rhash --sha3-224 - </dev/null 2>/dev/null | grep -q "$EMPTY_SHA3_224"; then
    HAVE_RHASH=1
else
    note "optional anchor 'rhash' not installed (or lacks --sha3-224): skipped (apt install rhash)"
fi
NPROC="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
HAVE_GNU_TIME=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    HAVE_GNU_TIME=1
else
    note "GNU /usr/bin/time (with -v) not found: max-RSS section skipped"
fi

PAGECACHE="${PAGECACHE:-reread}"
[[ $PAGECACHE == reread || $PAGECACHE == keep ]] || die "PAGECACHE takes reread or keep (got '$PAGECACHE')"
if [[ $PAGECACHE == reread ]] && ! dd if=/dev/null iflag=nocache count=0 status=none 2>/dev/null; then
    note "dd without iflag=nocache (not GNU dd): the page cache is kept as it is (PAGECACHE=keep)"
    PAGECACHE=keep
fi

if [[ -n "${GVMI:-}" ]]; then
    if [[ "$GVMI" == */* ]]; then GVMI="$(abspath "$GVMI")"; else GVMI="$(command -v "$GVMI" || true)"; fi
    [[ -n "$GVMI" && -x "$GVMI" ]] || die "GVMI=${GVMI:-?} is not an executable"
else
    command -v cargo >/dev/null || die "cargo not found (or set GVMI=/path/to/gvmi)"
    note "building: cargo build --release"
    cargo build --release >&2 || die "cargo build --release failed"
    GVMI="${CARGO_TARGET_DIR:-$repo_root/target}/release/gvmi"
    GVMI="$(abspath "$GVMI")"
    [[ -x "$GVMI" ]] || die "build succeeded but $GVMI is missing"
fi

if [[ -n "${BASELINE:-}" ]]; then
    BASELINE="$(abspath "$BASELINE")"
    [[ -x "$BASELINE" ]] || die "BASELINE=$BASELINE is not an executable"
fi
GVMI_ENV=""
if [[ -n "${GVMI_KECCAK:-}" ]]; then GVMI_ENV="env GVMI_KECCAK=$(printf '%q' "$GVMI_KECCAK") "; fi
unset GVMI_KECCAK   # only gvmi's own command carries it (the baseline runs its default)

# The backend gvmi runs here and its in-memory rates (MB/s, one core): the efficiency's yardstick.
RATES_LINE="$(eval "$GVMI_ENV$(printf '%q' "$GVMI") __keccak-rates")" || die "gvmi __keccak-rates failed"
rate_field() { local w; for w in $RATES_LINE; do [[ $w == "$1="* ]] && { echo "${w#*=}"; return; }; done; echo -; }
BACKEND="$(rate_field backend)"; LANES="$(rate_field lanes)"
LANE_RATE="$(rate_field lane_rate)"; SCALAR_RATE="$(rate_field scalar_rate)"

# ---- clock (integer microseconds) ------------------------------------------------------
if [[ -n "${EPOCHREALTIME:-}" ]]; then
    now_us() { local t="$EPOCHREALTIME"; REPLY=$(( 10#${t%.*} * 1000000 + 10#${t#*.} )); }
elif [[ "$(date +%N)" =~ ^[0-9]+$ ]]; then
    now_us() { REPLY=$(( $(date +%s%N) / 1000 )); }
else
    now_us() { REPLY="$(perl -MTime::HiRes=time -e 'printf "%d", time*1e6')"; }
fi

# ---- data -----------------------------------------------------------------------------
filesize() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
make_file() { # path bytes
    local f="$1" n="$2"
    if [[ -f "$f" && "$(filesize "$f")" == "$n" ]]; then return; fi
    note "creating $f ($((n >> 20)) MiB)"
    head -c "$n" /dev/urandom >"$f.tmp"
    mv "$f.tmp" "$f"
}
mkdir -p "$BENCH_DIR"
BIG_FILE="$BENCH_DIR/a-${BIG_MIB}MiB.bin"
make_file "$BIG_FILE" $((BIG_MIB << 20))
SMALL_FILES=()
if has_case b; then
    for ((i = 1; i <= NSMALL; i++)); do
        f="$BENCH_DIR/b-${SMALL_MIB}MiB-$i.bin"
        make_file "$f" $((SMALL_MIB << 20))
        SMALL_FILES+=("$f")
    done
fi
# Mixed: the big file plus NMIXED sizes spread over 1..MIXED_MAX_MIB MiB, not MiB-aligned
# (37 is odd, so i*37 mod 64 visits distinct values), with the big file listed last, so a
# scheduler that took files in argument order would start it last and run it alone.
MIXED_FILES=()
MIXED_BYTES=0
if has_case c; then
    for ((i = 1; i <= NMIXED; i++)); do
        n=$(( ((i * 37 % 64) * MIXED_MAX_MIB / 64 + 1) * 1048576 - i * 4099 ))
        f="$BENCH_DIR/c-mixed-$i.bin"
        make_file "$f" "$n"
        MIXED_FILES+=("$f")
        MIXED_BYTES=$((MIXED_BYTES + n))
    done
    MIXED_FILES+=("$BIG_FILE")
    MIXED_BYTES=$((MIXED_BYTES + (BIG_MIB << 20)))
fi
MANY_FILES=()
if has_case e; then
    for ((i = 1; i <= NMANY; i++)); do
        f="$BENCH_DIR/e-${MANY_MIB}MiB-$i.bin"
        make_file "$f" $((MANY_MIB << 20))
        MANY_FILES+=("$f")
    done
fi
# Tiny: NTINY files of 0..8191 bytes in one folder, made by one perl process.
TINY_DIR="$BENCH_DIR/d-tiny-$NTINY"
TINY_FILES=()
TINY_BYTES=0
if has_case d; then
    if [[ "$(find "$TINY_DIR" -maxdepth 1 -name 't-*.bin' 2>/dev/null | wc -l)" != "$NTINY" ]]; then
        note "creating $NTINY tiny files in $TINY_DIR"
        rm -rf "$TINY_DIR"; mkdir -p "$TINY_DIR"
        perl -e 'my ($d, $n) = @ARGV; open my $r, "<:raw", "/dev/urandom" or die;
                 for my $i (0 .. $n - 1) { my $len = $i * 7919 % 8192; read($r, my $b, $len) == $len or die;
                   open my $f, ">:raw", sprintf("%s/t-%05d.bin", $d, $i) or die; print $f $b; close $f or die }' \
            "$TINY_DIR" "$NTINY" || die "could not create the tiny files"
    fi
    mapfile -t TINY_FILES < <(find "$TINY_DIR" -maxdepth 1 -name 't-*.bin' | sort)
    TINY_BYTES="$(cat "${TINY_FILES[@]}" | wc -c)"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# ---- helpers --------------------------------------------------------------------------
# Normalise any tool's output to sorted "hex  path" lines.
normalise() {
    sed -E -e 's/^SHA3-224\((.*)\)= *([0-9a-fA-F]{56})$/\2  \1/' \
           -e 's/^([0-9a-fA-F]{56}) [ *](.*)$/\1  \2/' "$1" \
        | awk '{ print tolower(substr($0, 1, 56)) substr($0, 57) }' | sort
}
median() { sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) printf "%.6f\n", a[(NR + 1) / 2]; else printf "%.6f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }
children_cpu() { # -> REPLY = user + sys seconds of this shell's waited-for children
    times >"$TMP/times"   # in this shell (not a subshell): its second line, e.g. "0m1.234s 0m0.056s"
    REPLY="$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); s += p[1] * 60 + p[2] } printf "%.3f", s }' "$TMP/times")"
}
run_timed() { # cmd -> REPLY = seconds, CPU = the command's user + sys seconds
    local t0 t1 c0
    if [[ $COLD == 1 ]]; then drop_caches; fi
    children_cpu; c0=$REPLY
    now_us; t0=$REPLY
    eval "$1" >/dev/null || die "command failed: $1"
    now_us; t1=$REPLY
    children_cpu; CPU="$(awk -v a="$c0" -v b="$REPLY" 'BEGIN { printf "%.3f", b - a }')"
    REPLY="$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.6f", d / 1e6 }')"
}

declare -A CMD MED RATIO RSS EFF FILL_EFF CPU_S CPU_EFF
XARGS_N=1  # files per openssl process in the xargs anchor
bench_case() { # id title bytes files...
    local id="$1" title="$2" bytes="$3"; shift 3
    local files=("$@") qf t a r
    qf="$(printf '%q ' "${files[@]}")"; qf="${qf% }"

    local tools=(gvmi openssl sha3sum)
    CMD=()
    CMD[gvmi]="$GVMI_ENV$(printf '%q' "$GVMI") hash --quiet --no-cache $qf"
    if [[ -n "${BASELINE:-}" ]]; then
        tools+=(gvmi-baseline)
        CMD[gvmi-baseline]="$(printf '%q' "$BASELINE") hash --quiet --no-cache $qf"
    fi
    CMD[openssl]="openssl dgst -sha3-224 $qf"
    CMD[sha3sum]="sha3sum -a 224 $qf"
    if [[ $HAVE_RHASH == 1 ]]; then tools+=(rhash); CMD[rhash]="rhash --sha3-224 $qf"; fi
    if (( ${#files[@]} > 1 )); then
        tools+=("openssl-xargs-P$NPROC")
        CMD["openssl-xargs-P$NPROC"]="printf '%s\\0' $qf | xargs -0 -P$NPROC -n$XARGS_N openssl dgst -sha3-224"
    fi

    echo
    echo "=== case ($id): $title — $((bytes >> 20)) MiB total, RUNS=$RUNS, page cache $( [[ $COLD == 1 ]] && echo 'dropped before every run' || echo warm) ==="
    echo "commands:"
    # Long file lists (the tiny files) are shown as FILES...; the command run is the full one.
    for t in "${tools[@]}"; do
        local shown="${CMD[$t]}"
        if (( ${#files[@]} > 50 )); then shown="${shown//"$qf"/FILES... (${#files[@]} paths)}"; fi
        printf '  %-20s %s\n' "$t" "$shown"
    done

    local avail_kb
    avail_kb="$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)"
    if [[ -n "$avail_kb" && "$avail_kb" -gt 0 && $((bytes / 1024)) -gt $((avail_kb * 8 / 10)) ]]; then
        note "WARNING: data ($((bytes >> 20)) MiB) may not fit in the page cache ($((avail_kb >> 10)) MiB available)"
    fi
    if [[ $COLD != 1 && $PAGECACHE == reread ]]; then
        for f in "${files[@]}"; do dd if="$f" iflag=nocache count=0 status=none; done
    fi
    cat "${files[@]}" >/dev/null   # warm the page cache (COLD=1 drops it per timed run)

    # Correctness first (doubles as a warm-up run of every tool).
    eval "${CMD[gvmi]}" >"$TMP/raw.gvmi" || die "gvmi failed: ${CMD[gvmi]}"
    normalise "$TMP/raw.gvmi" >"$TMP/ref"
    [[ "$(wc -l <"$TMP/ref")" -eq ${#files[@]} ]] && ! grep -qvE '^[0-9a-f]{56}  ' "$TMP/ref" \
        || { cat "$TMP/ref" >&2; die "gvmi did not print one '<hex>  <path>' line per file"; }
    for t in "${tools[@]}"; do
        # Parallel openssl processes given several files each interleave their buffered
        # output mid-line, so the check runs the xargs anchor with -P1 (same processes).
        local check="${CMD[$t]}"
        if [[ $t == openssl-xargs-* ]]; then check="${check/ -P$NPROC / -P1 }"; fi
        eval "$check" >"$TMP/raw.$t" || die "$t failed: $check"
        normalise "$TMP/raw.$t" >"$TMP/norm.$t"
        if ! cmp -s "$TMP/ref" "$TMP/norm.$t"; then
            echo "HASH MISMATCH between gvmi and $t:" >&2
            diff "$TMP/ref" "$TMP/norm.$t" >&2 || true
            die "tools disagree on SHA3-224 for case ($id)"
        fi
    done
    echo "hashes: all ${#tools[@]} tools agree on all ${#files[@]} file(s), e.g. $(head -n1 "$TMP/ref")"
    # The floor: reading every byte, hashing none (added after the hash check).
    tools+=(cat)
    CMD[cat]="cat $qf"

    # Timed runs: gvmi and each anchor back to back, order alternating per run.
    local anchors=("${tools[@]:1}") pair
    for t in "${tools[@]}"; do : >"$TMP/$id.$t.times"; : >"$TMP/$id.$t.ratio"; done
    : >"$TMP/$id.gvmi.cpu"
    for ((r = 1; r <= RUNS; r++)); do
        for a in "${anchors[@]}"; do
            if (( r % 2 )); then pair=(gvmi "$a"); else pair=("$a" gvmi); fi
            local tg ta
            for t in "${pair[@]}"; do
                run_timed "${CMD[$t]}"
                echo "$REPLY" >>"$TMP/$id.$t.times"
                if [[ $t == gvmi ]]; then tg=$REPLY; echo "$CPU" >>"$TMP/$id.gvmi.cpu"; else ta=$REPLY; fi
            done
            awk -v g="$tg" -v a="$ta" 'BEGIN { printf "%.6f\n", g / a }' >>"$TMP/$id.$a.ratio"
        done
        note "case ($id): run $r/$RUNS done"
    done

    echo
    printf '%-22s %12s %10s %18s\n' tool "median s" "MB/s" "gvmi/anchor time"
    printf '%-22s %12s %10s %18s\n' ---- -------- ---- ----------------
    for t in "${tools[@]}"; do
        local med mbs ratio
        med="$(median "$TMP/$id.$t.times")"
        mbs="$(awk -v b="$bytes" -v s="$med" 'BEGIN { printf "%.0f", b / 1e6 / s }')"
        if [[ $t == gvmi ]]; then ratio="-"; else ratio="$(median "$TMP/$id.$t.ratio")"; ratio="$(printf '%.2f' "$ratio")"; fi
        MED[$id.$t]=$med; RATIO[$id.$t]=$ratio
        printf '%-22s %12.3f %10s %18s\n' "$t" "$med" "$mbs" "$ratio"
    done
    echo "(MB = 10^6 bytes; gvmi/anchor < 1 means gvmi is faster; gvmi median over all its paired runs)"
    if (( ${#files[@]} > 1 )) && [[ $COLD == 1 ]]; then
        echo "efficiency: not measured cold (the disk, not the lanes, sets the pace: see gvmi / cat)"
    elif (( ${#files[@]} > 1 )) && [[ $LANE_RATE != - ]]; then
        local fill
        fill=$(( ${#files[@]} < NPROC * LANES ? ${#files[@]} : NPROC * LANES ))
        read -r EFF[$id] FILL_EFF[$id] < <(awk -v b="$bytes" -v s="${MED[$id.gvmi]}" -v n="$NPROC" \
            -v r="$LANE_RATE" -v l="$LANES" -v f="$fill" \
            'BEGIN { t = b / 1e6 / s; printf "%.0f %.0f\n", 100 * t / (n * r), 100 * t / (r * f / l) }')
        echo "efficiency: ${EFF[$id]}% of $NPROC cores x $LANE_RATE MB/s ($BACKEND, $LANES lanes, in memory);" \
            "this batch fills $fill of $((NPROC * LANES)) lanes: ${FILL_EFF[$id]}% of what those can do"
        # Per CPU-second, which other processes on the machine do not dilute: what a worker
        # with this batch's busy lanes absorbs in memory is the yardstick.
        local workers=$(( ${#files[@]} < NPROC ? ${#files[@]} : NPROC ))
        read -r CPU_S[$id] CPU_EFF[$id] < <(awk -v b="$bytes" -v c="$(median "$TMP/$id.gvmi.cpu")" \
            -v r="$LANE_RATE" -v l="$LANES" -v f="$fill" -v w="$workers" \
            'BEGIN { printf "%.3f %.0f\n", c, 100 * (b / 1e6 / c) / (r * f / (w * l)) }')
        echo "CPU: gvmi used ${CPU_S[$id]} CPU-seconds (user + sys, median): ${CPU_EFF[$id]}% of what its busy lanes" \
            "absorb in memory per CPU-second (the efficiency with the cores to itself)"
    fi

    if [[ $HAVE_GNU_TIME == 1 ]]; then
        # Every tool on the single file; gvmi alone on the multi-file cases.
        local rss_tools=(gvmi)
        if [[ $id == a ]]; then rss_tools=("${tools[@]}"); fi
        echo
        echo "max RSS, one run each under /usr/bin/time -v:"
        for t in "${rss_tools[@]}"; do
            eval "/usr/bin/time -v -o $(printf '%q' "$TMP/rss.$t") ${CMD[$t]}" >/dev/null || die "$t failed under /usr/bin/time"
            RSS[$id.$t]="$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$TMP/rss.$t")"
            printf '  %-20s %8s MiB\n' "$t" "${RSS[$id.$t]}"
        done
        # Mapped files count in RSS as file-backed pages (the page cache's, shared, not
        # gvmi's allocations): the same run reading instead of mapping, for comparison.
        eval "/usr/bin/time -v -o $(printf '%q' "$TMP/rss.nomap") env GVMI_MMAP=off ${CMD[gvmi]}" >/dev/null \
            || die "gvmi (GVMI_MMAP=off) failed under /usr/bin/time"
        RSS[$id.gvmi-nomap]="$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$TMP/rss.nomap")"
        printf '  %-20s %8s MiB  (reading, not mapping: GVMI_MMAP=off)\n' "gvmi" "${RSS[$id.gvmi-nomap]}"
    fi
}

# ---- report header --------------------------------------------------------------------
echo "gvmi compare benchmark ($( [[ $QUICK == 1 ]] && echo QUICK || echo full ))"
echo "host:     $(uname -srm), $NPROC CPU(s), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo '?')" \
     "($(awk -F': ' '/^cpu family/ { f = $2 } /^model\t/ { m = $2 } END { if (f != "") printf "family %s model %s", f, m; else printf "?" }' /proc/cpuinfo 2>/dev/null))"
echo "gvmi:     $GVMI"
echo "openssl:  $(openssl version)"
echo "sha3sum:  $(command -v sha3sum) (Perl Digest::SHA3 $(perl -MDigest::SHA3 -e 'print $Digest::SHA3::VERSION' 2>/dev/null || echo '?'))"
if [[ $HAVE_RHASH == 1 ]]; then echo "rhash:    $(rhash --version)"; else echo "rhash:    not installed (skipped)"; fi
echo "data dir: $BENCH_DIR"
echo "keccak:   ${GVMI_ENV:-default (fastest this CPU runs)}: backend $BACKEND, $LANES lane(s) per core;" \
     "in memory, one core: lanes $LANE_RATE MB/s, one stream ($(rate_field scalar)) $SCALAR_RATE MB/s"
[[ -n "${BASELINE:-}" ]] && echo "baseline: $BASELINE"
echo "mode:     page cache $( [[ $COLD == 1 ]] && echo 'dropped before every timed run (COLD=1)' || echo "warm (PAGECACHE=$PAGECACHE)"); cases: $CASES"
echo "load:     $(uptime)"

XARGS_N=1
if has_case a; then bench_case a "one ${BIG_MIB} MiB file" $((BIG_MIB << 20)) "$BIG_FILE"; fi
if has_case b; then bench_case b "$NSMALL files of ${SMALL_MIB} MiB" $((NSMALL * (SMALL_MIB << 20))) "${SMALL_FILES[@]}"; fi
if has_case c; then bench_case c "mixed: one ${BIG_MIB} MiB + $NMIXED files of 1-${MIXED_MAX_MIB} MiB" "$MIXED_BYTES" "${MIXED_FILES[@]}"; fi
if has_case d; then
    XARGS_N=$(( (NTINY + 4 * NPROC - 1) / (4 * NPROC) ))
    bench_case d "$NTINY tiny files (0-8 KiB)" "$TINY_BYTES" "${TINY_FILES[@]}"
fi
XARGS_N=1
if has_case e; then bench_case e "$NMANY files of ${MANY_MIB} MiB" $((NMANY * (MANY_MIB << 20))) "${MANY_FILES[@]}"; fi

# ---- targets (issues 2 and 7) ----------------------------------------------------------
# verdict LABEL VALUE LIMIT [UNIT]: PASS when VALUE <= LIMIT; "-" values print as n/a.
verdict() {
    local r
    if [[ -z "$2" || "$2" == - ]]; then r="n/a (case not run)"
    elif awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then r=PASS
    else r="MISS (by $(awk -v v="$2" -v l="$3" 'BEGIN { printf "%.0f%%", (v / l - 1) * 100 }'))"; fi
    printf '  %-58s %9s %9s  %s\n' "$1" "${2:--}${4:-}" "<= $3${4:-}" "$r"
}
info() { printf '  %-58s %9s %9s  %s\n' "$1" "${2:--}" "" "info"; }
# at_least LABEL VALUE LIMIT [UNIT]: PASS when VALUE >= LIMIT.
at_least() {
    local r
    if [[ -z "$2" || "$2" == - ]]; then r="n/a (case not run)"
    elif awk -v v="$2" -v l="$3" 'BEGIN { exit !(v >= l) }'; then r=PASS
    else r="MISS (by $(awk -v v="$2" -v l="$3" 'BEGIN { printf "%.0f%%", (1 - v / l) * 100 }'))"; fi
    printf '  %-58s %9s %9s  %s\n' "$1" "${2:--}${4:-}" ">= $3${4:-}" "$r"
}
RSS_MANY=$((16 + 8 * NPROC))

echo
echo "=== targets ($( [[ $COLD == 1 ]] && echo 'cold: page cache dropped' || echo 'page-cached'), medians of paired runs; RUNS=$RUNS; load at end: $(uptime | sed 's/.*load average: //')) ==="
printf '  %-58s %9s %9s  %s\n' target measured limit verdict
if [[ $COLD == 1 ]]; then
    verdict "issue 7 (a) 1 file cold: gvmi / openssl dgst" "${RATIO[a.openssl]:-}" 0.80
    info "(a) gvmi / sha3sum (cold)" "${RATIO[a.sha3sum]:-}"
    [[ $HAVE_RHASH == 1 ]] && info "(a) gvmi / rhash (cold)" "${RATIO[a.rhash]:-}"
    info "(b) gvmi / sequential openssl dgst (cold)" "${RATIO[b.openssl]:-}"
    info "(b) gvmi / xargs -P$NPROC openssl (cold)" "${RATIO[b.openssl-xargs-P$NPROC]:-}"
    info "(c) mixed: gvmi / xargs -P$NPROC openssl (cold)" "${RATIO[c.openssl-xargs-P$NPROC]:-}"
    info "(d) tiny: gvmi / openssl dgst (cold)" "${RATIO[d.openssl]:-}"
else
    verdict "issue 7 (a) 1 file: gvmi / openssl dgst" "${RATIO[a.openssl]:-}" 1.00
    info "(a) gvmi / sha3sum" "${RATIO[a.sha3sum]:-}"
    [[ $HAVE_RHASH == 1 ]] && info "(a) gvmi / rhash" "${RATIO[a.rhash]:-}"
    verdict "issue 2 (b) ${NSMALL}x${SMALL_MIB} MiB: gvmi / sequential openssl" "${RATIO[b.openssl]:-}" 0.60
    verdict "issue 7 (b) ${NSMALL}x${SMALL_MIB} MiB: gvmi / sequential openssl" "${RATIO[b.openssl]:-}" 0.52
    verdict "issue 7 (b) ${NSMALL}x${SMALL_MIB} MiB: gvmi / xargs -P$NPROC openssl" "${RATIO[b.openssl-xargs-P$NPROC]:-}" 0.75
    # Mixed: the tail must be the largest file, not bad scheduling. One-core rate and the
    # largest file's time alone both come from gvmi's median in case (a) (the same file).
    if [[ -n "${MED[c.gvmi]:-}" && -n "${MED[a.gvmi]:-}" ]]; then
        limit="$(awk -v ta="${MED[a.gvmi]}" -v ba=$((BIG_MIB << 20)) -v bc="$MIXED_BYTES" -v n="$NPROC" \
            'BEGIN { rate = ba / ta; t = bc / (n * rate); if (ta > t) t = ta; printf "%.3f", 1.1 * t }')"
        echo "  (c) limit = 1.1 x max(largest file alone, total bytes / (cores x one-core rate)), from (a)"
        verdict "issue 7 (c) mixed: gvmi wall time, seconds" "$(printf '%.2f' "${MED[c.gvmi]}")" "$(printf '%.2f' "$limit")"
    else
        verdict "issue 7 (c) mixed wall (needs cases a and c)" - 0
    fi
    info "(c) mixed: gvmi / xargs -P$NPROC openssl" "${RATIO[c.openssl-xargs-P$NPROC]:-}"
    info "(d) tiny: gvmi / openssl dgst (one process)" "${RATIO[d.openssl]:-}"
    info "(d) tiny: gvmi / xargs -P$NPROC -n$XARGS_N openssl" "${RATIO[d.openssl-xargs-P$NPROC]:-}"
fi
echo "  -- issue 14 (multi-lane Keccak; ${GVMI_ENV:-default backend}) --"
if [[ $COLD == 1 ]]; then
    verdict "issue 14 (a) 1 file cold: gvmi / cat" "${RATIO[a.cat]:-}" 1.05
    verdict "issue 14 (b) ${NSMALL}x${SMALL_MIB} MiB cold: gvmi / cat" "${RATIO[b.cat]:-}" 1.05
else
    verdict "issue 14 (b) ${NSMALL}x${SMALL_MIB} MiB: gvmi / sequential openssl" "${RATIO[b.openssl]:-}" 0.20
    if [[ "$GVMI_ENV" == *avx2* ]]; then
        verdict "issue 14 (b) AVX2 lanes: gvmi / sequential openssl" "${RATIO[b.openssl]:-}" 0.30
    else
        verdict "issue 14 (b) AVX2 lanes (run with GVMI_KECCAK=avx2)" - 0.30
    fi
    verdict "issue 14 (b) ${NSMALL}x${SMALL_MIB} MiB: gvmi / xargs -P$NPROC openssl" "${RATIO[b.openssl-xargs-P$NPROC]:-}" 0.30
    verdict "issue 14 (e) ${NMANY}x${MANY_MIB} MiB: gvmi / sequential openssl" "${RATIO[e.openssl]:-}" 0.15
    verdict "issue 14 (a) 1 file: gvmi / openssl dgst" "${RATIO[a.openssl]:-}" 1.00
    for c in c d; do
        verdict "issue 14 ($c) not slower: gvmi / gvmi-baseline (BASELINE=)" "${RATIO[$c.gvmi-baseline]:-}" 1.00
    done
fi
for c in a b e; do info "($c) gvmi / cat (reading alone)" "${RATIO[$c.cat]:-}"; done
echo "  -- issue 23 (lanes at the limit; backend $BACKEND, $LANES lane(s) per core, lanes $LANE_RATE MB/s in memory) --"
if [[ $COLD == 1 ]]; then
    verdict "issue 23 (b) ${NSMALL}x${SMALL_MIB} MiB cold: gvmi / cat" "${RATIO[b.cat]:-}" 1.05
else
    case $BACKEND in avx2) LIMIT23=0.16 ;; avx512*) LIMIT23=0.11 ;; *) LIMIT23= ;; esac
    for c in b e; do
        has_case $c || continue
        at_least "issue 23 ($c) efficiency: of $NPROC cores x lane rate" "${EFF[$c]:-}" 85 %
        info "($c) efficiency: of the lanes this batch fills" "${FILL_EFF[$c]:-}%"
        info "($c) efficiency per CPU-second (load-independent)" "${CPU_EFF[$c]:-}%"
        if [[ -n $LIMIT23 ]]; then
            verdict "issue 23 ($c) $BACKEND lanes: gvmi / sequential openssl" "${RATIO[$c.openssl]:-}" "$LIMIT23"
        fi
    done
    verdict "issue 23 (a) 1 file: gvmi / openssl dgst" "${RATIO[a.openssl]:-}" 0.90
fi
for c in a b c d e; do
    [[ -n "${RSS[$c.gvmi-nomap]:-}" ]] && info "($c) max RSS reading, not mapping (GVMI_MMAP=off)" "${RSS[$c.gvmi-nomap]} MiB"
done
echo "  (max RSS counts mapped page-cache pages as gvmi's: file-backed, shared with the page cache)"
verdict "issues 2, 7: max RSS, one file (a)" "${RSS[a.gvmi]:-}" 16 " MiB"
for c in b c d e; do
    has_case $c && verdict "issue 7: max RSS, many files ($c), 16 + 8 x $NPROC workers" "${RSS[$c.gvmi]:-}" "$RSS_MANY" " MiB"
done
echo "(ratios are gvmi time / anchor time; MISS shows how far over the limit)"
