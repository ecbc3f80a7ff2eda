// `pnpm bench`: runs the workload on Bernstein's local stack and on the floor, round by round,
// prints a table and writes bench/results/latest.json. bench/README.md says what each figure
// measures. It reports; it never fails because of a figure.
import { parseBenchArgs } from "./args.js";
import { BENCH } from "./config.js";
import { describeEnvironment } from "./environment.js";
import { buildResults, writeResults } from "./results.js";
import { runRounds } from "./rounds.js";
import { formatTable } from "./table.js";
import { shapeCounts, TASK_SHAPE } from "./task-shape.js";
import { createWorkload } from "./workload.js";

const { rounds, output } = parseBenchArgs(process.argv.slice(2));

const { tasks, maxAgents } = BENCH;
const started = new Date();
const done = await runRounds({
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
const results = buildResults({
  tasks,
  maxAgents,
  rounds: done,
  shape: shapeCounts(TASK_SHAPE),
  environment: describeEnvironment(started),
});
await writeResults(output, results);
console.log(formatTable(results));
console.log(`\nwritten: ${output}`);
