import type { Env } from "./env.js";
import { drainRequest } from "./http/drain.js";
import { redactorOf } from "./redaction.js";
import { createRouter } from "./router.js";

export { RunCoordinator } from "./coordinator/run-coordinator.js";

const router = createRouter();

export default {
  async fetch(request, env, ctx) {
    redactorOf(env); // the logger's redactor knows this Worker's secrets from the first request on
    return drainRequest(request, await router.fetch(request, env, ctx));
  },
} satisfies ExportedHandler<Env>;
