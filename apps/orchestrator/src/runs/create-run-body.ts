import {
  BernsteinError,
  CreateRunRequest,
  formatZodError,
  MAX_PLAN_TASKS,
  parsePlanInSlices,
  runInSlices,
} from "@bernstein/core";
import { z } from "zod";
import { yieldToIo } from "../yield-to-io.js";

/**
 * The body of `POST /v1/runs` as the route reads it at once: `CreateRunRequest` with the plan's
 * tasks left as they came. A plan of 5,000 tasks takes the schema about 100 ms, so its tasks
 * are parsed afterwards a slice at a time (`createRunRequestOf`), with a yield to I/O between
 * slices: the thread answers other requests (`/healthz`) meanwhile.
 */
export const CreateRunBody = CreateRunRequest.extend({
  plan: z.strictObject({ tasks: z.array(z.unknown()).max(MAX_PLAN_TASKS) }).optional(),
});
export type CreateRunBody = z.infer<typeof CreateRunBody>;

/**
 * The request with its plan's tasks parsed (`StrictPlan`'s task schema), or the 400 the whole
 * `CreateRunRequest` would give: the same issues, named from the body's root (`plan.tasks.3.title`).
 */
export async function createRunRequestOf(body: CreateRunBody): Promise<CreateRunRequest> {
  if (!body.plan) return { ...body, plan: undefined };
  const parsed = await runInSlices(parsePlanInSlices(body.plan, "strict"), yieldToIo);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ["plan", ...issue.path] }));
    throw new BernsteinError("invalid_body", `request body is invalid: ${formatZodError(new z.ZodError(issues))}`);
  }
  return { ...body, plan: parsed.data };
}
