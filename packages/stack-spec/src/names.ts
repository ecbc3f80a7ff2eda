import { BernsteinError } from "@bernstein/core";
import { STACK, type WorkerKey } from "./stack.js";

/** The names of a stack's resources: the local stack's, or a deployed project's. */
export interface StackNames {
  /** `undefined` for the local stack. */
  project: string | undefined;
  worker(key: WorkerKey): string;
  /** D1 database name. */
  database: string;
  /** R2 bucket name. */
  bucket: string;
  /** Full Workflow name of a short one (`task`). Workflow names are account-wide on Cloudflare. */
  workflow(name: string): string;
}

/** Names of the local stack (kept stable: persisted local state is keyed by them). */
export const LOCAL_NAMES: StackNames = {
  project: undefined,
  worker: (key) => key,
  database: `bernstein-${STACK.database.name}`,
  bucket: `bernstein-${STACK.bucket.name}`,
  workflow: (name) => `bernstein-${name}`,
};

/** Project names: lowercase letters, digits and inner hyphens, at most this long. */
export const PROJECT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/**
 * `bernstein-<project>-orchestrator` must stay within Cloudflare's 63 characters for a
 * Worker name (also a DNS label of its workers.dev URL), as must the bucket name.
 */
export const PROJECT_NAME_MAX = 63 - "bernstein--orchestrator".length;

/** Why `name` is not a valid project name, or undefined when it is. */
export function projectNameProblem(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name.length > PROJECT_NAME_MAX) return `it is longer than ${PROJECT_NAME_MAX} characters`;
  if (!PROJECT_NAME_PATTERN.test(name)) {
    return "use lowercase letters, digits and hyphens (not at the start or end)";
  }
  if (name.includes("--")) return "it contains two hyphens in a row";
  return undefined;
}

/** Names of a deployed project: `bernstein-<project>-orchestrator`, `bernstein-<project>-state`, ... */
export function projectNames(project: string): StackNames {
  const problem = projectNameProblem(project);
  if (problem) {
    throw new BernsteinError("usage", `"${project}" is not a valid project name: ${problem}`, {
      details: { fix: "Name the project like acme or team-a (--project NAME)." },
    });
  }
  const prefix = `bernstein-${project}`;
  return {
    project,
    worker: (key) => `${prefix}-${key}`,
    database: `${prefix}-${STACK.database.name}`,
    bucket: `${prefix}-${STACK.bucket.name}`,
    workflow: (name) => `${prefix}-${name}`,
  };
}
