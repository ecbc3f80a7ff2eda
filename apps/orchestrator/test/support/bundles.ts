import { fileURLToPath } from "node:url";

/** The orchestrator's own built bundle and the agent's: what the tests' local stacks run. */
export const STACK_BUNDLES = {
  orchestrator: fileURLToPath(new URL("../../dist/index.js", import.meta.url)),
  agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
};
