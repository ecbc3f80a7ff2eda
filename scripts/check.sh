#!/usr/bin/env bash
# The whole test suite: lint, format, types, migrations drift, and every test.
#
# Turbo starts ready tasks in the order of the build graph, and the two longest test tasks (the
# CLI's and the orchestrator's, both of which drive real local stacks) come near its end: left to
# turbo they started last and ran on alone. So they run in a turbo run of their own, started
# first, beside the run of everything else (the other tests, every other typecheck, db:check);
# their own typechecks follow them, in their lane. Each lane runs one task at a time: with the
# CLI's two test workers that is at most three test processes on the 2-core CI machine, where
# with five, one run at load 17 failed twice inside Miniflare's synchronous proxy (cause unknown).
# Between them the two lanes run each package's test, typecheck and db:check once (checked with
# `turbo run ... --dry-run=json`). Both lanes also depend on the builds: they are brought up to
# date first, so that in the lanes each is a cache hit, left on disk as it is, and never built
# twice at the same time into the same dist/ while the other lane's tests read it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
biome ci .
pnpm turbo run build --output-logs=new-only

long=(--filter=@bernstein/cli --filter=@bernstein/orchestrator)
rest=(--filter='!@bernstein/cli' --filter='!@bernstein/orchestrator')
turbo_run() { pnpm turbo run "$@" --output-logs=new-only --concurrency=1 --continue; }

long_lane() {
  local status=0
  turbo_run test "${long[@]}" || status=$?
  turbo_run typecheck "${long[@]}" || status=$?
  return "$status"
}
long_lane &
long_tests=$!
trap 'kill "$long_tests" 2>/dev/null || true' INT TERM
status=0
turbo_run typecheck db:check test "${rest[@]}" || status=$?
wait "$long_tests" || status=$?
exit "$status"
