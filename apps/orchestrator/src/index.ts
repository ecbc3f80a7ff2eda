import { meterDurableObject, meterWorker } from "@bernstein/meter";
import { RunCoordinator as Coordinator } from "./coordinator/run-coordinator.js";
import type { Env } from "./env.js";
import { drainRequest } from "./http/drain.js";
import { redactorOf } from "./redaction.js";
import { createRouter } from "./router.js";

// With BERNSTEIN_METER=1 (the local stack's bench only) the entry and the class count what they
// use (packages/meter); otherwise both pass everything through unchanged.
export const RunCoordinator = meterDurableObject("orchestrator", Coordinator);

const router = createRouter();

export default meterWorker("orchestrator", {
  async fetch(request, env, ctx) {
    redactorOf(env); // the logger's redactor knows this Worker's secrets from the first request on
    return drainRequest(request, await router.fetch(request, env, ctx));
  },
} satisfies ExportedHandler<Env>);
