/** The test Worker: the Workflow under test, and a fetch handler the pool requires. */
export { TestWorkflow } from "./test-workflow.js";

export default {
  async fetch(): Promise<Response> {
    return new Response("workflow test worker");
  },
} satisfies ExportedHandler<Env>;
