import { z } from "zod";
import { CompletionSignal } from "../completion-signal.js";
import { TaskStatus } from "../task-status.js";
import { ErrorJsonSchema, IsoTime, RunId, TaskId } from "./common.js";

export const Task = z.object({
  id: TaskId,
  runId: RunId,
  /** The id the plan gave this task (`t1`). */
  planId: z.string(),
  title: z.string(),
  description: z.string(),
  role: z.string(),
  priority: z.number().int(),
  /** Position in the plan. */
  order: z.number().int().nonnegative(),
  status: TaskStatus,
  version: z.number().int().nonnegative(),
  /** Real task ids this task waits for. */
  dependsOn: z.array(TaskId),
  ownedFiles: z.array(z.string()),
  completionSignals: z.array(CompletionSignal),
  approvalRequired: z.boolean(),
  maxCostUsd: z.number().positive().nullable(),
  /** Number of the current (or last) attempt; 0 before the first. */
  attempt: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  summary: z.string().nullable(),
  error: ErrorJsonSchema.nullable(),
  /** Integration seq this task's merge produced. */
  mergedSeq: z.number().int().positive().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Task = z.infer<typeof Task>;
