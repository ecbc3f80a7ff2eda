// `pnpm bench`: runs the workload on Bernstein's local stack and on the floor, round by round,
// prints a table and writes bench/results/latest.json. bench/README.md says what each figure
// measures. It reports; it never fails because of a figure. `--only <part>` runs one part.
import { parseBenchArgs } from "./args.js";
import { runBernstein } from "./bernstein-run.js";
import { BENCH, REALISTIC, SCALE } from "./config.js";
import { describeEnvironment } from "./environment.js";
import { bernsteinFigures, dispatchByWave, floorDispatchBreakdown, floorFigures } from "./figures.js";
import { runFloor } from "./floor-run.js";
import { percentile } from "./percentile.js";
import { buildResults, type RealisticRun, type Round, writeResults } from "./results.js";
import { runRounds } from "./rounds.js";
import { runScale, type ScaleRun } from "./scale.js";
import { formatTable } from "./table.js";
import { shapeCounts, TASK_SHAPE } from "./task-shape.js";
import { createWorkload } from "./workload.js";

const { rounds, output, parts } = parseBenchArgs(process.argv.slice(2));

const { tasks, maxAgents } = BENCH;
const started = new Date();
let done: Round[] = [];
if (parts.includes("saturated")) {
  done = await runRounds({
    workload: createWorkload(tasks),
    shape: TASK_SHAPE,
    tasks,
    maxAgents,
    rounds,
    onRound: (i, round) =>
      console.error(
        `round ${i + 1}/${rounds} (${round.order}): ${round.bernstein.perTaskMs.toFixed(1)} / ${round.floor.perTaskMs.toFixed(1)} slot-ms per task`,
      ),
  });
}

// Realistic: the model answers each turn after a second, so the thread is mostly idle; once each.
let realistic: RealisticRun | null = null;
if (parts.includes("realistic")) {
  console.error(
    `realistic: ${REALISTIC.tasks} tasks, ${REALISTIC.maxAgents} agents, model latency ${REALISTIC.modelLatencyMs} ms`,
  );
  const slow = createWorkload(REALISTIC.tasks, REALISTIC.modelLatencyMs);
  const floorSlow = await runFloor(slow, TASK_SHAPE, REALISTIC.tasks, REALISTIC.maxAgents);
  realistic = {
    ...REALISTIC,
    floor: floorFigures(floorSlow, REALISTIC.tasks, REALISTIC.maxAgents),
    floorBreakdown: floorDispatchBreakdown(floorSlow),
    bernstein: bernsteinFigures(await runBernstein(slow, REALISTIC.maxAgents), REALISTIC.tasks, REALISTIC.maxAgents),
  };
}

// Scale: Bernstein at a tenth of the tasks, then at all of them, with many agents.
let scale: ScaleRun | null = null;
if (parts.includes("scale")) {
  console.error(`scale: ${SCALE.baselineTasks} then ${SCALE.tasks} tasks, ${SCALE.maxAgents} agents`);
  scale = await runScale(SCALE.tasks, SCALE.baselineTasks, SCALE.maxAgents);
}

const results = buildResults({
  tasks,
  maxAgents,
  rounds: done,
  realistic,
  scale,
  shape: shapeCounts(TASK_SHAPE),
  environment: describeEnvironment(started),
});
if (output) await writeResults(output, results);
console.log(formatTable(results));
console.log(output ? `\nwritten: ${output}` : "\n(a part run alone: no results file without --output)");
if (realistic) {
  const b = realistic.floorBreakdown;
  const p50 = (values: number[]) => percentile(values, 50).toFixed(1);
  console.log(
    `realistic floor dispatch p50 by stage (ms): claim -> created ${p50(b.claimToCreated)}, created -> run ${p50(b.createdToRun)}, run -> step ${p50(b.runToStep)}, step -> coordinator ${p50(b.stepToCoordinator)}`,
  );
  // Which tasks are slow: the first wave (claimed together when the run starts) or the rest.
  for (const [name, figures] of [
    ["bernstein", realistic.bernstein],
    ["floor", realistic.floor],
  ] as const) {
    const { first, rest } = dispatchByWave(figures.dispatchMs, realistic.maxAgents);
    const p = (values: number[], at: number) => percentile(values, at).toFixed(0);
    const others = figures.othersCpuPct === null ? "n/a" : `${figures.othersCpuPct.toFixed(0)} %`;
    console.log(
      `realistic ${name} dispatch (ms): first ${first.length} claims p50 ${p(first, 50)} max ${p(first, 100)}; the other ${rest.length} p50 ${p(rest, 50)} p99 ${p(rest, 99)} max ${p(rest, 100)} (other jobs' CPU ${others})`,
    );
    console.log(`  by claim order: ${figures.dispatchMs.map((v) => v.toFixed(0)).join(" ")}`);
  }
}
