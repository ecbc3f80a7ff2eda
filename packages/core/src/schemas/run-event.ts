import { z } from "zod";
import { IsoTime, RunId } from "./common.js";

export const RUN_EVENT_TYPES = [
  "run.created",
  "run.status",
  "plan.accepted",
  "plan.rejected",
  "task.status",
  "attempt.started",
  "attempt.turn",
  "attempt.finished",
  "merge.applied",
  "merge.conflict",
  "cost",
  "budget.warning",
  "job.lost",
  "log",
  "model.retrying",
  "model.available",
] as const;
export const RunEventType = z.enum(RUN_EVENT_TYPES);
export type RunEventType = z.infer<typeof RunEventType>;

/** One entry of a run's ordered event log; `seq` starts at 1 and has no gaps. */
export const RunEvent = z.object({
  runId: RunId,
  seq: z.number().int().positive(),
  at: IsoTime,
  type: RunEventType,
  taskId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type RunEvent = z.infer<typeof RunEvent>;
