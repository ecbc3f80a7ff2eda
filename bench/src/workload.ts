import type { PlanInput } from "@bernstein/core";
import type { ModelScript } from "@bernstein/testing";

/** The benchmark's workload: the plan, the scripted model's answers and the base snapshot. */
export interface Workload {
  goal: string;
  plan: PlanInput;
  script: ModelScript;
  files: Record<string, string>;
}

/**
 * Task titles are the scripted model's keys (it picks the longest key found in the agent's
 * first user message). Fixed-width numbers keep every title from being a substring of another,
 * and "bench task" never occurs in a file path the message lists.
 */
export function taskTitle(i: number): string {
  return `bench task ${String(i).padStart(4, "0")}`;
}

/** The file task `i` owns and writes. */
export function taskFile(i: number): string {
  return `src/f${i}.txt`;
}

/** The content task `i` writes into its file. */
export function taskContent(i: number): string {
  return `file ${i}, written by ${taskTitle(i)}\n`;
}

/**
 * `tasks` independent tasks, each owning one file; each does exactly two turns: turn 0 writes
 * its file, turn 1 calls finish. The model answers at once, or after `modelLatencyMs`.
 */
export function createWorkload(tasks: number, modelLatencyMs = 0): Workload {
  const delay = modelLatencyMs > 0 ? { delayMs: modelLatencyMs } : {};
  const indexes = Array.from({ length: tasks }, (_, i) => i);
  return {
    goal: `Benchmark: ${tasks} independent tasks, one file each`,
    plan: {
      tasks: indexes.map((i) => ({
        id: `t${i}`,
        title: taskTitle(i),
        description: `Write ${taskFile(i)}.`,
        owned_files: [taskFile(i)],
      })),
    },
    script: {
      tasks: Object.fromEntries(
        indexes.map((i) => [
          taskTitle(i),
          [
            { ...delay, tools: [{ name: "write_file", input: { path: taskFile(i), content: taskContent(i) } }] },
            { ...delay, tools: [{ name: "finish", input: { summary: `Wrote ${taskFile(i)}.` } }] },
          ],
        ]),
      ),
    },
    files: {
      "README.md": "# Bench fixture\n\nA small repository the benchmark's tasks add files to.\n",
      "src/index.txt": "The files src/f<i>.txt are written by the benchmark's tasks.\n",
      "package.json": '{ "name": "bench-fixture", "private": true }\n',
    },
  };
}
