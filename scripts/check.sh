#!/usr/bin/env bash
# The whole test suite: lint, format, types, migrations drift, and every test.
#
# The CLI's tests are the longest task, and turbo starts ready tasks in the order of the build
# graph, where the CLI comes last: left to turbo they start last and run alone at the end. So
# they start first, in a turbo run of their own, beside the run of everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
biome ci .
pnpm turbo run test typecheck --filter=@bernstein/cli --output-logs=new-only --concurrency=2 --continue &
cli=$!
trap 'kill "$cli" 2>/dev/null || true' INT TERM
status=0
pnpm turbo run typecheck db:check test --filter='!@bernstein/cli' --output-logs=new-only --concurrency=2 --continue ||
  status=$?
wait "$cli" || status=$?
exit "$status"
