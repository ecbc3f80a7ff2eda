import { BernsteinError, type ErrorCode, toBernsteinError } from "@bernstein/core";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { InterruptError } from "./interrupt.js";
import type { OutStream } from "./io.js";
import { createColors } from "./output/colors.js";

/** How to fix each error a user can meet, printed under the `error:` line. */
const FIX: Partial<Record<ErrorCode, string>> = {
  usage: "Run `bernstein --help` (or `bernstein <command> --help`) for usage and examples.",
  not_a_git_repo: "Run bernstein inside a git repository, or create one with `git init` and commit your files.",
  git_error: "Check the git message above; run the same git command by hand to see more.",
  stack_unreachable:
    "Start the local stack with `bernstein dev` (or let `bernstein run` start it), or check BERNSTEIN_URL.",
  stack_failed:
    "Read .bernstein/stack.log for the cause, then retry; `bernstein dev` runs the stack in the foreground.",
  unauthorized: "The API token is missing: use the token printed by `bernstein dev` (or set BERNSTEIN_TOKEN).",
  forbidden: "The token does not match this stack: run `bernstein dev stop` and start the stack again.",
  not_found: "Check the id: `bernstein cloud status` lists the runs of this stack.",
  conflict: "Choose another name with --branch NAME, or pass --force to overwrite.",
  illegal_transition: "The run or task is not in a state that allows this; `bernstein tasks RUN` shows where it is.",
  run_failed:
    "See what went wrong with `bernstein tasks RUN`; the merged part can still be pulled with `bernstein pull RUN`.",
  invalid_model: "Name models as provider/model, e.g. anthropic/claude-sonnet-4-5 or openai/gpt-5.4.",
  provider_not_configured:
    "Set ANTHROPIC_API_KEY or OPENAI_API_KEY (and BERNSTEIN_MODEL), then restart the stack: `bernstein dev stop` (the next run starts it again).",
  model_auth: "Check the model API key given to the stack (ANTHROPIC_API_KEY / OPENAI_API_KEY).",
  budget_exhausted: "Raise the budget with --budget USD.",
  plan_invalid: "Fix the plan file: it must be {tasks:[{id,title,description,role,...}]}.",
  plan_empty: "Give the plan at least one task.",
  plan_duplicate_id: "Give every task of the plan its own id.",
  plan_unknown_dependency: "Make depends_on name only ids of tasks in the plan.",
  plan_cycle: "Remove the dependency cycle from the plan.",
  plan_path_escape: "Keep owned_files inside the repository.",
  invalid_body: "Check the command's options against `bernstein <command> --help`.",
  hash_mismatch: "A file changed while it was uploaded: run the command again.",
  unknown_project: "`bernstein cloud projects` lists the projects deployed from this machine.",
  cloud_auth: "Set CLOUDFLARE_API_TOKEN (docs/deploy.md#api-token) or run `wrangler login`.",
  cloud_permission: "Give the API token the permissions in docs/deploy.md#api-token.",
  migration_failed: "Fix the database or the migration, then run `bernstein cloud deploy` again: it resumes there.",
  cloud_api: "Run the command again with --debug to see wrangler's output.",
  internal: "This is a bug in Bernstein. Run again with --debug and report the output.",
};

/** The fix line for an error: its own `details.fix` when it carries one, else the code's. */
export function fixFor(error: BernsteinError): string | undefined {
  const own = error.details?.fix;
  return typeof own === "string" ? own : FIX[error.code];
}

/** True when the error is the user's own Ctrl-C (an AbortSignal reason or an AbortError). */
export function isInterrupt(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "InterruptError");
}

/**
 * The CLI's one error edge: prints `error: <code>: <what>` on one line, then how to fix it,
 * then (only with --debug) the stack and causes; returns the exit code.
 */
export function handleError(error: unknown, stderr: OutStream, options: { debug: boolean; color: boolean }): number {
  if (isInterrupt(error)) {
    stderr.write("interrupted\n");
    return error instanceof InterruptError ? error.exitCode : EXIT.interrupted;
  }
  const failure = toBernsteinError(error);
  const paint = createColors(options.color);
  stderr.write(`${paint.red("error:")} ${failure.code}: ${oneLine(failure.message)}\n`);
  const fix = fixFor(failure);
  if (fix) stderr.write(`  ${paint.dim(fix)}\n`);
  if (options.debug) stderr.write(debugDump(error));
  return exitCodeFor(failure.code);
}

/** Collapses a message onto one line. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

function debugDump(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    if (current instanceof Error) {
      parts.push(current.stack ?? `${current.name}: ${current.message}`);
      if (current instanceof BernsteinError && current.details)
        parts.push(`details: ${JSON.stringify(current.details)}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return `${parts.map((part, i) => (i === 0 ? part : `caused by: ${part}`)).join("\n")}\n`;
}
