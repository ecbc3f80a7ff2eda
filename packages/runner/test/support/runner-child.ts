// A runner in a process of its own, so a test can SIGKILL it mid-job. It prints one JSON line
// per event: {type, jobId}. Started by test/lease.test.ts with `node --import tsx`.
import { createRunnerClient } from "@bernstein/client";
import { startRunner } from "../../src/index.js";

const { RUNNER_CHILD_URL, BERNSTEIN_RUNNER_TOKEN, RUNNER_CHILD_CACHE, RUNNER_CHILD_WORK } = process.env;
if (!RUNNER_CHILD_URL || !BERNSTEIN_RUNNER_TOKEN || !RUNNER_CHILD_CACHE || !RUNNER_CHILD_WORK) {
  process.stderr.write(
    "runner-child: RUNNER_CHILD_URL, BERNSTEIN_RUNNER_TOKEN, RUNNER_CHILD_CACHE and RUNNER_CHILD_WORK are required\n",
  );
  process.exit(2);
}
const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
const runner = startRunner({
  client: createRunnerClient({ baseUrl: RUNNER_CHILD_URL, token: BERNSTEIN_RUNNER_TOKEN }),
  cacheDir: RUNNER_CHILD_CACHE,
  workspaceRoot: RUNNER_CHILD_WORK,
  // The test's commands write their pids where the test finds them (commands get an allowlist).
  passEnv: ["RUNNER_TEST_PIDS"],
  signal: controller.signal,
  onEvent(event) {
    const jobId = "job" in event ? event.job?.id : undefined;
    process.stdout.write(`${JSON.stringify({ type: event.type, jobId })}\n`);
  },
});
await runner.stopped;
