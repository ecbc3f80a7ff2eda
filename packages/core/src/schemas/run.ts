import { z } from "zod";
import { RunStatus } from "../run-status.js";
import { ErrorJsonSchema, IsoTime, RunId, Sha256 } from "./common.js";

export const Run = z.object({
  id: RunId,
  goal: z.string(),
  status: RunStatus,
  /** Default agent model as `provider/model`. */
  model: z.string(),
  plannerModel: z.string(),
  maxAgents: z.number().int().positive(),
  maxRetries: z.number().int().nonnegative(),
  budgetUsd: z.number().positive().nullable(),
  spentUsd: z.number().nonnegative(),
  /** Manifest hash of the tree the run started from. */
  baseSnapshot: Sha256,
  /** Git commit the snapshot was taken at (HEAD); with uncommitted changes the tree differs from it. */
  baseCommit: z.string().nullable(),
  verifyCommands: z.array(z.string()),
  approveAll: z.boolean(),
  /** Number of merges so far; the integration tree is `runs/<run>/integration/<seq>.json`. */
  integrationSeq: z.number().int().nonnegative(),
  integrationManifest: Sha256,
  error: ErrorJsonSchema.nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
});
export type Run = z.infer<typeof Run>;
