import { z } from "zod";
import { ErrorJsonSchema, IsoTime, RunId, Sha256, TaskId } from "./common.js";

export const ATTEMPT_STATUSES = ["running", "succeeded", "failed", "conflicted", "cancelled"] as const;
export const AttemptStatus = z.enum(ATTEMPT_STATUSES);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

/** One Workflow instance working on one task: its id is `<run>-<task>-a<n>`. */
export const Attempt = z.object({
  id: z.string(),
  runId: RunId,
  taskId: TaskId,
  n: z.number().int().positive(),
  status: AttemptStatus,
  model: z.string(),
  /** Integration seq the attempt started from. */
  baseSeq: z.number().int().nonnegative(),
  turns: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  tokensCached: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  patchKey: z.string().nullable(),
  patchSha256: Sha256.nullable(),
  /** Manifest hash of the attempt's full tree (base + its changes). */
  resultManifest: Sha256.nullable(),
  summary: z.string().nullable(),
  error: ErrorJsonSchema.nullable(),
  startedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
});
export type Attempt = z.infer<typeof Attempt>;
