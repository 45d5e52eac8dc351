#!/usr/bin/env bash
# Installs the real Golem SDKs the snippet tests run against (and the S3
# server the publish tests upload to), once, under
# target/sdk-env/ (or $GVMI_SDK_ENV). Idempotent: a finished env is left alone.
# Needs: python3 with venv + pip (PyPI reachable), node >= 18 + npm (npm registry).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
env_dir="${GVMI_SDK_ENV:-$root/target/sdk-env}"
mkdir -p "$env_dir"

py="$env_dir/py"
if [ ! -f "$py/.done" ]; then
    rm -rf "$py"
    python3 -m venv "$py"
    "$py/bin/pip" install --quiet --disable-pip-version-check \
        'yapapi==0.13.1' 'PyYAML>=6'
    touch "$py/.done"
fi

# golem-core-python pins other versions of shared deps than yapapi: own venv.
core="$env_dir/golem-core"
if [ ! -f "$core/.done" ]; then
    rm -rf "$core"
    python3 -m venv "$core"
    "$core/bin/pip" install --quiet --disable-pip-version-check 'golem-core==0.7.8'
    touch "$core/.done"
fi

# A real S3 server on loopback for `gvmi publish` (tests/external/publish_s3.rs),
# and boto3 to look at what it holds.
moto="$env_dir/moto"
if [ ! -f "$moto/.done" ]; then
    rm -rf "$moto"
    python3 -m venv "$moto"
    "$moto/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.*' 'boto3>=1.34'
    touch "$moto/.done"
fi

js="$env_dir/js"
if [ ! -f "$js/.done" ]; then
    rm -rf "$js"
    mkdir -p "$js"
    (cd "$js" && npm init -y >/dev/null &&
        npm install --silent --no-audit --no-fund \
            '@golem-sdk/golem-js@3' '@golem-sdk/task-executor@2')
    touch "$js/.done"
fi
echo "SDK envs ready in $env_dir"
