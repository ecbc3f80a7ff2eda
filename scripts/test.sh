#!/usr/bin/env bash
# `npm test`: installs what is missing, then runs the whole suite (scripts/check.sh). Chromium
# (the dashboard's browser tests) installs from Debian's packages while the workspace installs
# and builds: the one waits on the network and the disk, the other on the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-chromium.sh &
chromium=$!
trap 'kill "$chromium" 2>/dev/null || true' EXIT
bash scripts/bootstrap.sh
wait "$chromium"
trap - EXIT
bash scripts/check.sh
