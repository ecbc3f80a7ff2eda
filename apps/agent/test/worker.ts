/** The test Worker: the pool needs a `main`; the tests only use its R2 binding. */
export default {
  async fetch(): Promise<Response> {
    return new Response("agent test worker");
  },
} satisfies ExportedHandler<Env>;
