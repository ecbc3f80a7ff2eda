/** The test Worker: the pool needs a `main`; the tool tests use its R2 binding, the outage-loop tests its Workflow. */
export { OutageLoopWorkflow } from "./outage-loop-workflow.js";

export default {
  async fetch(): Promise<Response> {
    return new Response("agent test worker");
  },
} satisfies ExportedHandler<Env>;
