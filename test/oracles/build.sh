#!/usr/bin/env bash
# Builds the pinned test oracles of manifest.json into the oracle cache, reusing what is there.
# Usage: test/oracles/build.sh [NAME...] [--tier=test|extra]   (no argument: all of them)
# tier test: the oracles tests compare against (.ci/run builds them); extra: smoke-tested only.
# The cache: $AKSFLEET_ORACLE_DIR, default ~/.cache/aksfleet-oracles; each oracle in NAME-VERSION/bin/.
# Go oracles need Go (the machine's Go 1.26 and the module proxy); a toolchain newer than the installed
# Go is fetched by Go itself (GOTOOLCHAIN=auto).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/build.mjs" "$@"
