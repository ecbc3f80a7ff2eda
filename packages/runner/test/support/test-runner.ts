import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunnerClient, registerRunner } from "@bernstein/client";
import { startRunner } from "../../src/index.js";
import type { TestStack } from "./harness.js";

/** A real runner (`@bernstein/runner`) registered with the stack; `stop()` ends it. */
export async function startTestRunner(t: TestStack): Promise<{ stop(): Promise<void> }> {
  const created = await registerRunner({ baseUrl: t.stack.url, token: t.stack.token }, { name: "orchestrator-test" });
  const dir = mkdtempSync(join(tmpdir(), "bernstein-runner-"));
  const abort = new AbortController();
  const runner = startRunner({
    client: createRunnerClient({ baseUrl: t.stack.url, token: created.token }),
    cacheDir: join(dir, "cache"),
    workspaceRoot: dir,
    signal: abort.signal,
    waitSeconds: 1,
  });
  return {
    async stop() {
      abort.abort();
      await runner.stopped;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
