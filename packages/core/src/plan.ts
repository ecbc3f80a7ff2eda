import { z } from "zod";
import { CompletionSignal } from "./completion-signal.js";

/** Largest plan a run accepts; keeps one run's scheduling state comfortably in one DO. */
export const MAX_PLAN_TASKS = 5_000;

export const DEFAULT_PRIORITY = 2;

/** One task as the planner (the `submit_plan` tool) or a `--plan` file gives it. */
export const PlanTask = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "plan ids are letters, digits, '_', '.', '-'"),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(""),
  role: z.string().trim().min(1).max(64).default("backend"),
  priority: z.number().int().min(0).max(9).default(DEFAULT_PRIORITY),
  depends_on: z.array(z.string()).max(1_000).default([]),
  owned_files: z.array(z.string().min(1).max(1_000)).max(1_000).default([]),
  completion_signals: z.array(CompletionSignal).max(50).default([]),
  approval_required: z.boolean().default(false),
  max_cost_usd: z.number().positive().optional(),
});
export type PlanTask = z.infer<typeof PlanTask>;
export type PlanTaskInput = z.input<typeof PlanTask>;

export const Plan = z.object({
  tasks: z.array(PlanTask).max(MAX_PLAN_TASKS),
});
export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;

/**
 * The plan of `POST /v1/runs` (a `--plan` file): the same shape, but a field it does not know is
 * refused. The model's `submit_plan` input stays lenient (`Plan`); extra fields there are dropped.
 */
export const StrictPlan = z.strictObject({
  tasks: z
    .array(PlanTask.extend({ completion_signals: z.array(CompletionSignal.strict()).max(50).default([]) }).strict())
    .max(MAX_PLAN_TASKS),
});
