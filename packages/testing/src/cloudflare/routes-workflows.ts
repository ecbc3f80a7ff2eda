import { authorize } from "./auth.js";
import { accountOf, type StandInRouter } from "./context.js";
import { fail, jsonBody, newId, ok } from "./envelope.js";
import { now, type WorkflowRecord } from "./state.js";

/** Workflows: list, describe, delete (the script upload creates them). */
export function workflowRoutes(router: StandInRouter): void {
  router.get("/accounts/:account/workflows", (request, context) => {
    authorize(context.caller, "workers:edit");
    return ok([...accountOf(request, context).workflows.values()].map(view));
  });
  router.get("/accounts/:account/workflows/:name", (request, context) => {
    authorize(context.caller, "workers:edit");
    const workflow = accountOf(request, context).workflows.get(String(request.params.name));
    if (!workflow) fail(404, 10200, "Workflow not found");
    return ok(view(workflow));
  });
  router.put("/accounts/:account/workflows/:name", async (request, context) => {
    authorize(context.caller, "workers:edit");
    const account = accountOf(request, context);
    const name = String(request.params.name);
    const body = await jsonBody<{ script_name?: string; class_name?: string }>(request);
    const script = account.scripts.get(body.script_name ?? "");
    if (!script) fail(400, 10200, `Workflow ${name}: script '${body.script_name}' does not exist`);
    const bound = script.versions
      .at(-1)
      ?.bindings.some(
        (b) => b.type === "workflow" && b.workflow_name === name && b.class_name === body.class_name && !b.script_name,
      );
    if (!bound)
      fail(400, 10200, `Workflow ${name}: script '${script.name}' defines no workflow of class '${body.class_name}'`);
    const current = account.workflows.get(name);
    const workflow: WorkflowRecord = {
      id: current?.id ?? newId(true),
      name,
      script_name: script.name,
      class_name: String(body.class_name),
      created_on: current?.created_on ?? now(),
      modified_on: now(),
    };
    account.workflows.set(name, workflow);
    return ok(view(workflow));
  });
  router.delete("/accounts/:account/workflows/:name", (request, context) => {
    authorize(context.caller, "workers:edit");
    const account = accountOf(request, context);
    if (!account.workflows.delete(String(request.params.name))) fail(404, 10200, "Workflow not found");
    return ok({ status: "ok", success: true });
  });
}

function view(workflow: WorkflowRecord) {
  return { ...workflow, instances: {} };
}
