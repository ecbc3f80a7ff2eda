import type { Workload } from "./workload.js";
import { taskContent, taskFile, taskTitle } from "./workload.js";

/** The shape of the "typical run" docs/deploy.md prices. */
export interface CostShape {
  tasks: number;
  /** Tasks are split into this many waves; each task of a wave depends on every task of the one before. */
  waves: number;
  maxAgents: number;
}

/** The run docs/deploy.md prices: 50 tasks in five waves, four agents, three turns a task. */
export const TYPICAL_RUN: CostShape = { tasks: 50, waves: 5, maxAgents: 4 };

/** Model turns of each task: write its file, read it back, finish. */
export const TURNS_PER_TASK = 3;

/** The verify command the one runner runs on every candidate (and the baseline). */
export const COST_VERIFY = "test -f README.md";

function waveOf(i: number, shape: CostShape): number {
  return Math.floor((i * shape.waves) / shape.tasks);
}

/**
 * `tasks` tasks in `waves` waves, each owning one file; a task depends on every task of the
 * wave before (so the run schedules wave by wave). Each task takes three turns: turn 0 writes
 * its file, turn 1 reads it back, turn 2 finishes.
 */
export function createCostWorkload(shape: CostShape): Workload {
  const indexes = Array.from({ length: shape.tasks }, (_, i) => i);
  return {
    goal: `Cost bench: ${shape.tasks} tasks in ${shape.waves} waves, one file each`,
    plan: {
      tasks: indexes.map((i) => ({
        id: `t${i}`,
        title: taskTitle(i),
        description: `Write ${taskFile(i)}.`,
        owned_files: [taskFile(i)],
        depends_on: indexes.filter((j) => waveOf(j, shape) === waveOf(i, shape) - 1).map((j) => `t${j}`),
      })),
    },
    script: {
      tasks: Object.fromEntries(
        indexes.map((i) => [
          taskTitle(i),
          [
            { tools: [{ name: "write_file", input: { path: taskFile(i), content: taskContent(i) } }] },
            { tools: [{ name: "read_file", input: { path: taskFile(i) } }] },
            { tools: [{ name: "finish", input: { summary: `Wrote ${taskFile(i)}.` } }] },
          ],
        ]),
      ),
    },
    files: {
      "README.md": "# Cost bench fixture\n\nA small repository the cost bench's tasks add files to.\n",
      "src/index.txt": "The files src/f<i>.txt are written by the bench's tasks.\n",
      "package.json": '{ "name": "cost-bench-fixture", "private": true }\n',
    },
  };
}
