// `pnpm --filter @bernstein/bench bench:cost`: one metered run of the typical shape (50 tasks in
// five waves, three turns a task, 4 agents, one runner) on the local stack, its usage per
// Worker, and what it costs on Workers Free and Workers Paid. Writes bench/results/cost.json.
// It reports; it never fails because of a figure.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { freeFit, paidCost, usageOf } from "./cost-estimate.js";
import { PAID_BASE_USD_PER_MONTH, PRICE_SOURCES, PRICES_READ_ON, STEPS_PER_INSTANCE } from "./cost-prices.js";
import { runMetered } from "./cost-run.js";
import { TURNS_PER_TASK, TYPICAL_RUN } from "./cost-workload.js";

const OUTPUT = fileURLToPath(new URL("../results/cost.json", import.meta.url));

const shape = TYPICAL_RUN;
console.error(
  `metered run: ${shape.tasks} tasks in ${shape.waves} waves, ${TURNS_PER_TASK} turns a task, ${shape.maxAgents} agents, one runner`,
);
const started = Date.now();
const metered = await runMetered(shape);
const seconds = (Date.now() - started) / 1000;
const usage = usageOf(metered.orchestrator, metered.agent);
const free = freeFit(usage);
const paid = paidCost(usage);

const n = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "no limit");
const lines: string[] = [];
lines.push(
  `run ${metered.run.id}: ${metered.run.status}, ${metered.run.merged}/${metered.run.tasks} merged, ${metered.jobs} verify jobs, ${metered.modelCalls} model calls, ${seconds.toFixed(1)} s`,
);
for (const c of [metered.orchestrator, metered.agent]) {
  lines.push(
    `${c.worker}: invocations ${JSON.stringify(c.invocations)}; workflow runs ${c.workflows.runs}, step.do ${c.workflows.stepCalls} (first ${c.workflows.stepFirstRuns}, replayed ${c.workflows.stepReplays}, attempts ${c.workflows.stepAttempts}), sleeps ${c.workflows.sleeps}, waits ${c.workflows.waits}`,
  );
  lines.push(
    `  DO requests ${c.durableObjects.requests} ${JSON.stringify(c.durableObjects.requestsByMethod)}, alarms ${c.durableObjects.alarms}, SQL ${c.durableObjects.sqlStatements} statements / ${c.durableObjects.sqlRowsRead} rows read / ${c.durableObjects.sqlRowsWritten} written, KV ${c.durableObjects.kvReads} reads / ${c.durableObjects.kvWrites} writes`,
  );
  lines.push(
    `  D1 ${c.d1.queries} queries, ${c.d1.statements} statements, ${c.d1.rowsRead} rows read, ${c.d1.rowsWritten} written; R2 class A ${c.r2.classA}, class B ${c.r2.classB}, free ${c.r2.free} ${JSON.stringify(c.r2.byOperation)}`,
  );
}
const steps = metered.agent.workflows.stepCalls / Math.max(1, metered.agent.workflows.runs);
lines.push(
  `\nsteps per Workflow instance: ${steps.toFixed(1)} on average (limit ${STEPS_PER_INSTANCE.free.toLocaleString("en-US")} on Free, ${STEPS_PER_INSTANCE.paid.toLocaleString("en-US")} on Paid)`,
);
lines.push("\nWorkers Free (daily limits):");
lines.push("| limit | per run | per day | runs a day |");
lines.push("| --- | ---: | ---: | ---: |");
for (const l of free.limits) lines.push(`| ${l.name} | ${n(l.perRun)} | ${n(l.perDay)} | ${n(l.runsPerDay)} |`);
lines.push(`=> ${n(free.runsPerDay)} runs a day; binds first: ${free.binding}`);
lines.push(`\nWorkers Paid ($${PAID_BASE_USD_PER_MONTH} a month; beyond the included usage):`);
lines.push("| meter | per run | runs a month included | $ per run beyond |");
lines.push("| --- | ---: | ---: | ---: |");
for (const m of paid.meters) {
  lines.push(`| ${m.name} | ${n(m.perRun)} | ${n(m.runsIncludedPerMonth)} | ${m.usdPerRun.toFixed(6)} |`);
}
lines.push(
  `=> $${paid.usdPerRun.toFixed(5)} per run beyond the included usage; ${n(paid.runsIncludedPerMonth)} runs a month included (first past: ${paid.binding})`,
);
lines.push(`\nprices read on ${PRICES_READ_ON} from ${PRICE_SOURCES.join(", ")}`);
console.log(lines.join("\n"));

await mkdir(dirname(OUTPUT), { recursive: true });
await writeFile(
  OUTPUT,
  `${JSON.stringify({ measuredAt: new Date(started).toISOString(), seconds, pricesReadOn: PRICES_READ_ON, ...metered, usage, free, paid }, null, 2)}\n`,
);
console.log(`\nwritten: ${OUTPUT}`);
