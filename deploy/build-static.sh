#!/usr/bin/env bash
# The Dockerfile's build stages as a script: fetch the pinned htmx, build the static
# binary exactly as the image does, and check that it is static and starts. Used where
# Docker is not available (and by hand to check a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bin/concierge-static}

npm ci --no-audit --no-fund >/dev/null
cp node_modules/htmx.org/dist/htmx.min.js static/htmx.min.js
CGO_ENABLED=0 GOOS=linux go build -trimpath -tags timetzdata -ldflags="-s -w" -o "$out" .

# A static binary has no program interpreter (nothing for ldd to load).
if readelf -l "$out" | grep -q "Requesting program interpreter"; then
  echo "build-static: $out is dynamically linked" >&2
  exit 1
fi
# It runs, and answers its own help, with no shared libraries and no zone files around.
case "$out" in /*) bin="$out" ;; *) bin="./$out" ;; esac
env -i ZONEINFO=/nonexistent "$bin" help | head -1
echo "build-static: $out is static ($(du -h "$out" | cut -f1))"
