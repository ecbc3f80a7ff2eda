/**
 * Step names of Bernstein's workflows. Workflows replay by step name, so names must be
 * deterministic: constants for the fixed steps, builders for the numbered ones.
 */
export const STEP = {
  load: "load",
  plan: "plan",
  planRepair: "plan-repair",
  storePlan: "store-plan",
  patch: "patch",
  signals: "signals",
  submit: "submit",
  report: "report",
  /** The model call of agent turn `n`. */
  turn: (n: number): `turn-${number}` => `turn-${turnNumber(n)}`,
  /** The batch of tool calls of agent turn `n`. */
  tools: (n: number): `tools-${number}` => `tools-${turnNumber(n)}`,
  /** In a turn with commands: the file tools from call `i` of turn `n` up to the next command. */
  toolsPart: (n: number, i: number): `tools-${number}-${number}` => `tools-${turnNumber(n)}-${turnNumber(i)}`,
  /** Call `i` of turn `n` is `run_command`: posting its job (the job id is made from this name). */
  command: (n: number, i: number): `command-${number}-${number}` => `command-${turnNumber(n)}-${turnNumber(i)}`,
  /** Before waiting for that command's result: asks the coordinator whether it is already in. */
  commandCheck: (n: number, i: number): `command-check-${number}-${number}` =>
    `command-check-${turnNumber(n)}-${turnNumber(i)}`,
  /** The wait for that command's result event. */
  commandWait: (n: number, i: number): `command-wait-${number}-${number}` =>
    `command-wait-${turnNumber(n)}-${turnNumber(i)}`,
  /** Turn `n`'s model call again, after the `k`-th wait for budget. */
  turnRetry: (n: number, k: number): `turn-${number}.${number}` => `turn-${turnNumber(n)}.${turnNumber(k)}`,
  /** The `k`-th wait for budget during turn `n`. */
  budgetWait: (n: number, k: number): `budget-${number}-${number}` => `budget-${turnNumber(n)}-${turnNumber(k)}`,
  /** The `k`-th wait for a decision (verification, approval) of the submitted attempt. */
  decisionWait: (type: string, k: number): string => `${type}-${turnNumber(k)}`,
} as const;

function turnNumber(n: number): number {
  // A NaN or fractional turn would make a name that no replay reproduces.
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`step turn must be a non-negative integer, got ${n}`);
  return n;
}
