import { z } from "zod";
import { CommandPolicy } from "../command-policy.js";
import { BUDGET_LIMITS } from "../limits.js";
import { StrictPlan } from "../plan.js";
import { Attempt } from "./attempt.js";
import { Sha256 } from "./common.js";
import { Manifest } from "./manifest.js";
import { Run } from "./run.js";
import { Task } from "./task.js";
import { TaskCommand } from "./task-command.js";

const VerifyCommand = z.string().trim().min(1).max(2_000);
/** A repo-relative glob: no absolute path, no `..` segment (it is matched inside the tree). */
const RepoGlob = z
  .string()
  .min(1)
  .max(1_000)
  .refine((glob) => !glob.startsWith("/") && !glob.split("/").includes(".."), "expected a repo-relative glob");

/**
 * Request bodies are strict: a field the API does not know is a 400 naming it, so a typo never
 * passes silently. Response shapes (below) stay lenient for older and newer stacks.
 */

/** `POST /v1/runs` */
export const CreateRunRequest = z.strictObject({
  goal: z.string().trim().min(1).max(20_000),
  /** Manifest hash from `POST /v1/snapshots`. */
  baseSnapshot: Sha256,
  baseCommit: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/)
    .nullable()
    .default(null),
  /** A ready plan (the `--plan` file); skips the planning call. */
  plan: StrictPlan.optional(),
  model: z.string().min(3).max(200).optional(),
  plannerModel: z.string().min(3).max(200).optional(),
  budgetUsd: z.number().positive().max(BUDGET_LIMITS.maxRunUsd).nullable().default(null),
  maxAgents: z.number().int().min(1).max(100).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  verifyCommands: z.array(VerifyCommand).max(20).default([]),
  verifySetup: z.array(VerifyCommand).max(20).default([]),
  verifySetupInputs: z.array(z.string().min(1).max(1_000)).max(100).nullable().default(null),
  verifyReports: z.array(RepoGlob).max(20).default([]),
  /** A stable name of the repository (the CLI sends its root commit), for runners' warm workspaces. */
  repository: z.string().min(1).max(200).nullable().default(null),
  approveAll: z.boolean().default(false),
  /** What the agents' `run_command` may run (default: every command, 120 s, 64 KiB of output). */
  commands: CommandPolicy.optional(),
  /** Client-chosen key: the same key returns the same run instead of a second one. */
  idempotencyKey: z.string().min(8).max(200).optional(),
});
export type CreateRunRequest = z.infer<typeof CreateRunRequest>;
export type CreateRunInput = z.input<typeof CreateRunRequest>;

/**
 * A run with its tasks: the body of `GET /v1/runs/:id` and of `POST /v1/runs`. `seq` is the
 * last event the view reflects: apply the events after it (`events?after=seq`) to follow it.
 */
export const RunView = Run.extend({ tasks: z.array(Task), seq: z.number().int().nonnegative() });
export type RunView = z.infer<typeof RunView>;

export const RunList = z.object({ runs: z.array(Run) });
export type RunList = z.infer<typeof RunList>;

export const TaskList = z.object({ tasks: z.array(Task) });
export type TaskList = z.infer<typeof TaskList>;

/** `GET /v1/tasks/:id`: the task with its attempts and its agents' commands. */
export const TaskView = Task.extend({ attempts: z.array(Attempt), commands: z.array(TaskCommand).default([]) });
export type TaskView = z.infer<typeof TaskView>;

/** `POST /v1/blobs/missing` */
export const MissingBlobsRequest = z.strictObject({ hashes: z.array(Sha256).max(50_000) });
export const MissingBlobsResponse = z.object({ missing: z.array(Sha256) });
export type MissingBlobsResponse = z.infer<typeof MissingBlobsResponse>;

/** `PUT /v1/blobs/:sha256` answer. */
export const PutBlobResponse = z.object({ sha256: Sha256, bytes: z.number().int().nonnegative() });

/** `POST /v1/snapshots` */
export const CreateSnapshotRequest = z.strictObject({ manifest: Manifest });
export const CreateSnapshotResponse = z.object({ sha256: Sha256, files: z.number().int().nonnegative() });
/** `GET /v1/snapshots/:sha256` */
export const SnapshotResponse = z.object({ sha256: Sha256, manifest: Manifest });

/** One merged task in the run's integration history, in merge order. */
export const MergeRecord = z.object({
  seq: z.number().int().positive(),
  taskId: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  /** Manifest hash of the integration tree right after this merge. */
  manifest: Sha256,
});
export type MergeRecord = z.infer<typeof MergeRecord>;

/** `GET /v1/runs/:id/result`: what `bernstein pull` turns into commits. */
export const RunResult = z.object({
  runId: z.string(),
  status: Run.shape.status,
  baseSnapshot: Sha256,
  baseCommit: z.string().nullable(),
  merges: z.array(MergeRecord),
});
export type RunResult = z.infer<typeof RunResult>;

export { CostReport } from "./cost-report.js";

export const HealthResponse = z.object({ ok: z.literal(true), version: z.string() });

/** `POST /v1/runs/:id/budget`: at most `BUDGET_LIMITS.maxAddUsd` at a time (see there). */
export const AddBudgetRequest = z.strictObject({ addUsd: z.number().positive().max(BUDGET_LIMITS.maxAddUsd) });

/** `POST /v1/tasks/:id/reject` */
export const RejectTaskRequest = z.strictObject({ reason: z.string().max(2_000).default("") });
