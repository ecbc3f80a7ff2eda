#!/usr/bin/env bash
# The dashboard's browser tests drive Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH).
# Installs it with apt-get when it is missing, as root or through passwordless sudo (CI); it
# reaches only Debian's package mirror. Elsewhere it says how.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo -n); fi
if command -v apt-get >/dev/null && "${as_root[@]}" true 2>/dev/null; then
  echo "install-chromium: installing Debian's chromium for the browser tests" >&2
  start=$SECONDS
  "${as_root[@]}" apt-get update -qq >&2
  # No recommends: the headless browser needs the libraries and one font, not the desktop extras.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >&2
  echo "install-chromium: done in $((SECONDS - start)) s" >&2
  exit 0
fi
echo "install-chromium: the browser tests need Chromium at $chromium:" \
  "run \`sudo apt-get update && sudo apt-get install chromium\`, or set CHROMIUM_PATH" >&2
exit 1
