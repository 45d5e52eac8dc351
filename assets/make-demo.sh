#!/usr/bin/env bash
# Build small, valid, byte-reproducible Golem VM images (.gvmi) into assets/demo/.
#
# Layout of each image (same as gvmkit-build writes, ya-runtime-vm reads):
#   [squashfs][u32 LE CRC32(IEEE) of JSON][JSON][8 ASCII decimal digits = JSON length]
#
# Requires: bash, mksquashfs (squashfs-tools >= 4.4 for -mkfs-time/-all-time), python3 (stdlib).
# Rerunning gives byte-identical files. Usage: assets/make-demo.sh [OUT_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/demo}"

command -v mksquashfs >/dev/null || { echo "make-demo: mksquashfs not found (apt install squashfs-tools)" >&2; exit 1; }
command -v python3 >/dev/null    || { echo "make-demo: python3 not found" >&2; exit 1; }

have_comp() { mksquashfs -help 2>&1 | sed -n '/Compressors available/,/^-/p' | grep -qw "$1"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 022
export LC_ALL=C TZ=UTC

mkdir -p "$out"
# Only this script writes .gvmi files here: drop stale ones (names embed a content id).
find "$out" -name '*.gvmi' -type f -delete

# --- root trees -----------------------------------------------------------------------
# mkfile PATH MODE  (content from stdin)
mkfile() { mkdir -p "$(dirname "$1")"; cat >"$1"; chmod "$2" "$1"; }

root_hello="$work/root-hello"
mkfile "$root_hello/etc/hostname" 644 <<<'golem-hello'
mkfile "$root_hello/etc/os-release" 644 <<'EOF'
NAME="Golem demo"
ID=golem-demo
VERSION_ID=1
EOF
mkfile "$root_hello/app/hello.sh" 755 <<'EOF'
#!/bin/sh
echo "Hello from a Golem VM image"
EOF
mkdir -p "$root_hello/golem/input" "$root_hello/golem/output" "$root_hello/golem/work"

root_render="$work/root-render"
mkfile "$root_render/etc/hostname" 644 <<<'golem-render'
mkfile "$root_render/app/render.sh" 755 <<'EOF'
#!/bin/sh
# renders frame $1 from /golem/input/scene.txt into /golem/output
frame="${1:-0}"
sed "s/FRAME/$frame/" /golem/input/scene.txt > "/golem/output/frame-$frame.txt"
EOF
mkfile "$root_render/app/scene.txt" 644 <<'EOF'
scene demo
camera 0 0 10
frame FRAME
EOF
mkdir -p "$root_render/golem/input" "$root_render/golem/output" "$root_render/golem/work"
ln -s render.sh "$root_render/app/run"

root_data="$work/root-data"
mkfile "$root_data/etc/hostname" 644 <<<'golem-data'
mkfile "$root_data/app/hello.sh" 755 <<'EOF'
#!/bin/sh
sha256sum /app/blob.bin
EOF
# 48 KiB of deterministic, incompressible bytes so the image spans many hash blocks.
python3 - "$root_data/app/blob.bin" <<'EOF'
import hashlib, sys
out = bytearray()
i = 0
while len(out) < 48 * 1024:
    out += hashlib.sha256(b"gvmi-demo-blob-%d" % i).digest()
    i += 1
open(sys.argv[1], "wb").write(bytes(out))
EOF
chmod 644 "$root_data/app/blob.bin"
mkdir -p "$root_data/golem/work"

root_tool="$work/root-tool"
mkfile "$root_tool/etc/hostname" 644 <<<'golem-tool'
mkfile "$root_tool/usr/local/bin/check" 755 <<'EOF'
#!/bin/sh
# prints the size of every file under /golem/input
for f in /golem/input/*; do wc -c "$f"; done
EOF
mkdir -p "$root_tool/golem/input" "$root_tool/golem/work"

# --- build ----------------------------------------------------------------------------
# build ROOT REPO TAG COMP SUBDIR CONFIG_JSON(without Image/Hostname)
build() {
    local root="$1" repo="$2" tag="$3" comp="$4" subdir="$5" cfg="$6"
    if ! have_comp "$comp"; then
        echo "make-demo: compressor $comp not available, using gzip for $repo:$tag" >&2
        comp=gzip
    fi
    local sq="$work/$(echo "$repo-$tag" | tr '/:' '--').sqfs"
    find "$root" -type d -exec chmod 755 {} +
    mksquashfs "$root" "$sq" -noappend -all-root -mkfs-time 0 -all-time 0 \
        -no-xattrs -processors 1 -comp "$comp" -quiet -no-progress >/dev/null
    mkdir -p "$out/$subdir"
    python3 - "$sq" "$repo" "$tag" "$cfg" "$out/$subdir" <<'EOF'
import hashlib, json, struct, sys, zlib, os
sq_path, repo, tag, cfg_json, out_dir = sys.argv[1:6]
sq = open(sq_path, "rb").read()
assert sq[:4] == b"hsqs"
cfg = json.loads(cfg_json)
# Deterministic "image id": sha256 over the filesystem and the config.
image_id = hashlib.sha256(sq + json.dumps(cfg, sort_keys=True).encode()).hexdigest()
host = hashlib.sha256(("container:" + image_id).encode()).hexdigest()[:12]
# Key order follows Docker's container.Config struct, as current gvmkit-build emits it.
order = ["Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
         "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "Volumes",
         "WorkingDir", "Entrypoint", "OnBuild", "Labels"]
full = {"Hostname": host, "Domainname": "", "User": "", "AttachStdin": False,
        "AttachStdout": False, "AttachStderr": False, "Tty": False, "OpenStdin": False,
        "StdinOnce": False, "Image": image_id}
full.update(cfg)
unknown = set(full) - set(order)
assert not unknown, unknown
ordered = {k: full[k] for k in order if k in full}
js = json.dumps(ordered, separators=(",", ":"), ensure_ascii=False).encode()
assert len(js) < 10**8
trailer = struct.pack("<I", zlib.crc32(js) & 0xFFFFFFFF) + js + b"%08d" % len(js)
name = "%s-%s-%s.gvmi" % (repo.replace("/", "-"), tag, image_id[:10])
path = os.path.join(out_dir, name)
with open(path, "wb") as f:
    f.write(sq + trailer)
print(path)
EOF
}

PATHENV='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'

# lzo: gvmkit-build's default compression.
build "$root_hello" golem-examples/hello latest lzo "" \
  '{"Env":['"$PATHENV"'],"Cmd":["/app/hello.sh"],"Volumes":{"/golem/input":{},"/golem/output":{}},"WorkingDir":"/golem/work","Labels":{}}'

build "$root_render" golem-examples/render-lite 1.2.0 gzip "" \
  '{"Env":['"$PATHENV"',"FRAMES=8"],"Cmd":["0"],"Volumes":{"/golem/input":{},"/golem/output":{}},"WorkingDir":"/golem/work","Entrypoint":["/app/run"],"Labels":{"org.opencontainers.image.title":"render-lite","org.opencontainers.image.version":"1.2.0"}}'

build "$root_data" golem-examples/data-blob v3 xz "" \
  '{"Env":['"$PATHENV"'],"Cmd":["/app/hello.sh"],"WorkingDir":"/golem/work","Labels":{}}'

build "$root_tool" golem-tools/input-check 0.2.1 zstd tools \
  '{"User":"0:0","Env":['"$PATHENV"',"LANG=C.UTF-8"],"Entrypoint":["/usr/local/bin/check"],"Volumes":{"/golem/input":{}},"WorkingDir":"/golem/work","Labels":{"maintainer":"demo@example.invalid"}}'
