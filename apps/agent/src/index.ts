import { meterWorker, meterWorkflow } from "@bernstein/meter";
import { PlanWorkflow as Planning } from "./plan-workflow.js";
import { TaskWorkflow as Task } from "./task-workflow.js";

// With BERNSTEIN_METER=1 (the local stack's bench only) the entry and the Workflows count what
// they use (packages/meter); otherwise they pass everything through unchanged.
export const PlanWorkflow = meterWorkflow("agent", Planning);
export const TaskWorkflow = meterWorkflow("agent", Task);

/** The agent Worker serves no HTTP: its work arrives as Workflow instances. */
export default meterWorker("agent", {
  fetch(): Response {
    return Response.json(
      { error: { code: "not_found", message: "the agent Worker has no HTTP API" } },
      { status: 404 },
    );
  },
} satisfies ExportedHandler);
