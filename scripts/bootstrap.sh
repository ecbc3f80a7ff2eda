#!/usr/bin/env bash
# Installs what the repo needs on a machine with only Node and npm: the pinned pnpm (into
# .tools/, no root needed), the workspace's packages, and a build of the CLI and Workers.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm $PNPM_VERSION into .tools/" >&2
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
fi
pnpm install --frozen-lockfile --reporter=append-only >&2
pnpm turbo run build --output-logs=errors-only >&2
