import { z } from "zod";
import { CommandPolicy, defaultCommandPolicy } from "../command-policy.js";
import { RunStatus } from "../run-status.js";
import { RunVerification } from "../verification/verdict.js";
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
  // The fields below came with verification against the integration tree; their defaults let
  // views recorded or served before them parse.
  /** `verify.setup`: commands run before the verify commands when their inputs changed. */
  verifySetup: z.array(z.string()).default([]),
  /** `verify.setupInputs` (globs); null: the defaults (`DEFAULT_SETUP_INPUTS`). */
  verifySetupInputs: z.array(z.string()).nullable().default(null),
  /** `verify.reports`: globs of the JUnit XML reports the verify commands write. */
  verifyReports: z.array(z.string()).default([]),
  /** Names the repository (runners keep a warm workspace per repository); null: the run's own. */
  repository: z.string().nullable().default(null),
  /** At completion, with verification: the result tree's checks against the base snapshot's. */
  verification: RunVerification.nullable().default(null),
  /** What the agents' `run_command` may run (`agent.commands`, `run --no-commands`). */
  commands: CommandPolicy.default(defaultCommandPolicy),
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
