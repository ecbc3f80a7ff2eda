#!/usr/bin/env bash
# The dashboard's browser tests drive Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH).
# Installs it with apt-get when it is missing and this runs as root (CI); elsewhere says how.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "install-chromium: installing Debian's chromium for the browser tests" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
  exit 0
fi
echo "install-chromium: the browser tests need Chromium at $chromium:" \
  "run \`sudo apt-get update && sudo apt-get install chromium\`, or set CHROMIUM_PATH" >&2
exit 1
