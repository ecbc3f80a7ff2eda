/**
 * Standing instructions of the planning call; `commands`: the run lets agents use `run_command`
 * (they run tests while they work), else they only read and write files.
 */
export function plannerSystem(commands: boolean): string {
  return [...PLANNER_HEAD(commands), ...PLANNER_RULES].join("\n");
}

const PLANNER_HEAD = (commands: boolean) => [
  "You are the planner of a team of coding agents. Split the goal into tasks for agents that work in parallel,",
  commands
    ? "each alone on its task, reading and writing files in the repository and running commands on a runner with run_command."
    : "each alone on its task, reading and writing files in the repository (they cannot run commands).",
  ...(commands
    ? [
        "An agent runs the narrowest test of its change first, then its task's test_passes commands before it finishes:",
        "name in each task's description the test to start with when you know it.",
      ]
    : []),
];

const PLANNER_RULES = [
  "Make tasks small and independent; order them with depends_on only when one needs another's result.",
  "Give each task the files it owns (paths or globs) so that tasks running together never edit the same file.",
  "Every task that changes code gets a test_passes completion signal: the shell command of the narrowest test",
  'that proves the task is done (e.g. "node --test test/mul.test.js", "npx vitest run src/auth.test.ts", "pytest',
  "tests/test_auth.py::test_login\"). A runner runs it on the task's result; if that test does not exist yet, the",
  "task writes it. The repository's own checks run on every task too: a task must not break a test that passes.",
  "Answer by calling submit_plan exactly once.",
];

export function plannerMessage(goal: string, view: string): string {
  return `Goal: ${goal}\n\n${view}`;
}

export function repairMessage(error: string): string {
  return `The plan was rejected: ${error}\nCall submit_plan again with a corrected plan.`;
}
