#!/usr/bin/env bash
# The whole test suite: lint, format, types, migrations drift, and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
biome ci .
pnpm turbo run typecheck db:check test --output-logs=new-only --concurrency=2 --continue
