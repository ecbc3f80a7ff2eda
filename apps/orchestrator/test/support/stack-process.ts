// A local stack in a process of its own, for the crash tests (run with `node --import tsx`):
// `stack-process.ts <persist-dir> <model-base-url> [hold]` starts both Workers persisted under
// the directory, prints `{"url": ...}` on one line, and runs until it is killed. With `hold`
// the coordinators keep every D1 change in their outboxes (READ_MODEL_HOLD).
import { startLocalStack } from "@bernstein/local-stack";
import { TEST_API_TOKEN, TEST_MODEL_KEY } from "@bernstein/testing";
import { STACK_BUNDLES } from "./bundles.js";

const [persistDir, modelUrl, hold] = process.argv.slice(2);
const stack = await startLocalStack({
  bundles: STACK_BUNDLES,
  persistDir,
  token: TEST_API_TOKEN,
  auditKey: "a".repeat(64),
  env: { ANTHROPIC_API_KEY: TEST_MODEL_KEY, ANTHROPIC_BASE_URL: modelUrl },
  settings: hold === "hold" ? { READ_MODEL_HOLD: "1" } : {},
});
process.stdout.write(`${JSON.stringify({ url: stack.url })}\n`);
setInterval(() => undefined, 60_000);
