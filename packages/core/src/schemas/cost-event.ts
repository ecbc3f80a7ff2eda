import { z } from "zod";
import { IsoTime, RunId, TaskId } from "./common.js";

/** The cost of one model call, attributed to its run, task and attempt. */
export const CostEvent = z.object({
  runId: RunId,
  taskId: TaskId.nullable(),
  attemptId: z.string().nullable(),
  /** `plan` for the planning call, else the step name of the model turn. */
  step: z.string(),
  model: z.string(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  at: IsoTime,
});
export type CostEvent = z.infer<typeof CostEvent>;
