import { MODEL_SECRETS, STACK, WORKER_KEYS } from "@bernstein/stack-spec";

export type ResourceKind = "d1_database" | "r2_bucket" | "worker" | "durable_object" | "workflow";
export type ResourceAction = "create" | "reuse" | "update";

/** One resource of a deploy, what the deploy does with it, and the plan it needs. */
export interface PlannedResource {
  kind: ResourceKind;
  name: string;
  action: ResourceAction;
  /** The Cloudflare plan it needs: everything runs on Workers Free. */
  plan: "free";
  note?: string;
}

/** What `cloud deploy --dry-run --json` prints (and a deploy returns, with what it did). */
export interface DeployPlan {
  project: string;
  accountId?: string | undefined;
  resources: PlannedResource[];
  workers: { name: string; config: string; action: ResourceAction }[];
  /** Secret names only, per Worker. */
  secrets: string[];
}

export const PLAN_NOTES = {
  d1_database: "Workers Free: 5 GB storage, 5 M rows read and 100 k rows written per day",
  r2_bucket:
    "Workers Free with R2 enabled: R2 needs a payment method on file (Dashboard > R2) even on the free tier (10 GB-month, 1 M Class A, 10 M Class B operations a month)",
  worker: "Workers Free: 100 k requests a day",
  durable_object: "SQLite-backed Durable Objects are on Workers Free",
  workflow: "Workflows are on Workers Free (steps count as Workers requests)",
} as const;

/** The Durable Object and Workflow entries of a plan (they follow their Worker's action). */
export function boundResources(
  workerName: (key: (typeof WORKER_KEYS)[number]) => string,
  workflowName: (name: string) => string,
  actions: Record<(typeof WORKER_KEYS)[number], ResourceAction>,
): PlannedResource[] {
  const resources: PlannedResource[] = [];
  for (const key of WORKER_KEYS) {
    const spec = STACK.workers[key];
    for (const d of spec.durableObjects.filter((d) => d.owner === key)) {
      resources.push({
        kind: "durable_object",
        name: `${workerName(key)}/${d.className}`,
        action: actions[key],
        plan: "free",
        note: PLAN_NOTES.durable_object,
      });
    }
    for (const w of spec.workflows.filter((w) => w.owner === key)) {
      resources.push({
        kind: "workflow",
        name: workflowName(w.name),
        action: actions[key],
        plan: "free",
        note: PLAN_NOTES.workflow,
      });
    }
  }
  return resources;
}

/** Secret names the deploy sets: the generated ones, and the model keys found in the environment. */
export function secretNames(env: Readonly<Record<string, string | undefined>>): string[] {
  const names = new Set<string>();
  for (const key of WORKER_KEYS) for (const name of STACK.workers[key].requiredSecrets) names.add(name);
  for (const name of MODEL_SECRETS) if (env[name]) names.add(name);
  return [...names];
}
