export { PlanWorkflow } from "./plan-workflow.js";
export { TaskWorkflow } from "./task-workflow.js";

/** The agent Worker serves no HTTP: its work arrives as Workflow instances. */
export default {
  fetch(): Response {
    return Response.json(
      { error: { code: "not_found", message: "the agent Worker has no HTTP API" } },
      { status: 404 },
    );
  },
} satisfies ExportedHandler;
