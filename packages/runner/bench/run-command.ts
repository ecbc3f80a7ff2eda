// Times `run_command` on a warm workspace against a real local stack, with the runner and the
// scripted model: one attempt runs `true` COMMANDS times in a row. Per command it prints two
// spans: from the job's post (its `command.queued` event) to its result at the coordinator (the
// `command` event), and to the next model request, which the workflow sends once it has the
// result (an upper bound of "post to result in the workflow"). The first command also syncs a
// new workspace, so it is reported apart.
//
//   node --import tsx bench/run-command.ts          (from packages/runner)

import type { RunEvent, RunView } from "@bernstein/core";
import { calculatorFiles, readEvents, uploadSnapshot } from "@bernstein/testing";
import { startTestStack } from "../test/support/harness.js";
import { startTestRunner } from "../test/support/test-runner.js";

const COMMANDS = 20;
const TITLE = "Time the commands";
const turns = Array.from({ length: COMMANDS }, () => ({
  tools: [{ name: "run_command", input: { command: "true" } }],
}));
const t = await startTestStack({
  tasks: { [TITLE]: [...turns, { tools: [{ name: "finish", input: { summary: "timed" } }] }] },
});
const runner = await startTestRunner(t);
try {
  const snapshot = (await uploadSnapshot(t, calculatorFiles())).sha256;
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: "bench", baseSnapshot: snapshot, plan: { tasks: [{ id: "a", title: TITLE }] } }),
  });
  const view = (await res.json()) as RunView;
  const events = await readEvents(t, view.id, 0, 300_000);
  const at = (e: RunEvent | undefined) => (e ? Date.parse(e.at) : Number.NaN);
  const queued = events.filter((e) => e.type === "log" && e.data.kind === "command.queued");
  const done = events.filter((e) => e.type === "log" && e.data.kind === "command");
  const requests = t.model.requests.filter((r) => r.key === TITLE);
  const rows = queued.map((q, i) => ({
    coordinator: at(done[i]) - at(q),
    workflow: (requests.find((r) => r.turn === i + 1)?.at ?? Number.NaN) - at(q),
  }));
  const p = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  const warm = rows.slice(1);
  process.stdout.write(
    `run_command \`true\`, ${warm.length} warm commands (first, new workspace: ${rows[0]?.workflow} ms)\n`,
  );
  process.stdout.write("span | p50 ms | p90 ms | max ms\n");
  for (const span of ["coordinator", "workflow"] as const) {
    const values = warm.map((r) => r[span]);
    process.stdout.write(
      `post -> result at the ${span} | ${p(values, 0.5)} | ${p(values, 0.9)} | ${Math.max(...values)}\n`,
    );
  }
  process.stdout.write(`run ${events.at(-1)?.data.to ?? "?"}\n`);
} finally {
  await runner.stop();
  await t.stop();
}
