// Records a real run of the calculator goal on the local stack (scripted model, planning call
// included) into test/fixtures/calculator-run.json: the snapshots, the event log, the tasks
// and their patches. The component tests replay it.   pnpm --filter @bernstein/tui record
import { writeFileSync } from "node:fs";
import type { RunView } from "@bernstein/core";
import { calculatorScript } from "@bernstein/testing";
import { CALCULATOR_RECORDING, type Recording } from "../test/support/recording.js";
import { startTestStack } from "../test/support/stack.js";

const t = await startTestStack(calculatorScript({ delayMs: 40 }));
try {
  const run = await t.startCalculatorRun({ plan: false, maxAgents: 2 });
  const views: RunView[] = [run];
  const events = [];
  for await (const event of t.client.events(run.id)) {
    events.push(event);
    const view = await t.client.getRun(run.id);
    if (view.seq > (views.at(-1)?.seq ?? 0)) views.push(view);
  }
  const final = await t.client.getRun(run.id);
  if (final.seq > (views.at(-1)?.seq ?? 0)) views.push(final);
  const tasks: Recording["tasks"] = {};
  const artifacts: Recording["artifacts"] = {};
  for (const task of final.tasks) {
    const view = await t.client.getTask(task.id);
    tasks[task.id] = view;
    for (const attempt of view.attempts) {
      if (attempt.patchKey) {
        artifacts[attempt.patchKey] = new TextDecoder().decode(await t.client.getArtifact(attempt.patchKey));
      }
    }
  }
  const recording: Recording = { recordedAt: new Date().toISOString(), views, events, tasks, artifacts };
  writeFileSync(CALCULATOR_RECORDING, `${JSON.stringify(recording, null, 2)}\n`);
  process.stdout.write(`recorded run ${run.id}: ${events.length} events, ${views.length} snapshots\n`);
} finally {
  await t.stop();
}
