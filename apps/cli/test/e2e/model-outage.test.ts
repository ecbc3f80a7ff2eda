import { RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, type Result, runBin } from "./support.js";

// `run --wait` while the model is down: a `model_unavailable` pause is followed on (the run
// resumes by itself), with a line for each `model.retrying` event. States and output are
// asserted; how long the waits took is printed.

const KEY = "e2e-outage-key";
/** A hang guard, far above what the wait takes. */
const GUARD_MS = 240_000;

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;

function cli(args: string[]): Promise<Result> {
  return runBin(args, { cwd: repo.dir, env });
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + GUARD_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript(), { apiKey: KEY });
  repo = await createFixtureRepo("calculator");
  // 0.1 min: the run pauses after 6 s of continuous failures.
  env = cleanEnv({
    ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
    ANTHROPIC_API_KEY: KEY,
    BERNSTEIN_MODEL_UNAVAILABLE_MINUTES: "0.1",
  });
});

afterAll(async () => {
  if (repo) await cli(["dev", "stop"]);
  await model?.close();
  await repo?.cleanup();
});

describe("run --wait while the model is down", () => {
  it("keeps waiting through a model_unavailable pause, shows the outage, and completes when the model is back", async () => {
    const lift = model.outage(529);
    const downAt = Date.now();
    const waiting = cli(["run", "--goal", CALCULATOR_GOAL, "--wait"]);
    const paused = await waitFor("the model_unavailable pause", async () => {
      const status = await cli(["cloud", "status", "--json"]);
      if (status.code !== 0) return undefined;
      const view = RunView.parse(JSON.parse(status.stdout));
      return view.status === "paused" ? view : undefined;
    });
    const pausedAt = Date.now();
    expect(paused.error?.code).toBe("model_unavailable");
    const table = await cli(["cloud", "status", paused.id]);
    expect(table.stdout).toContain("model_unavailable");
    // Paused, the planning call goes on probing the model.
    const probes = model.requests.filter((r) => r.key === "outage").length;
    await waitFor("a probe after the pause", async () =>
      model.requests.filter((r) => r.key === "outage").length > probes ? true : undefined,
    );
    const liftedAt = Date.now();
    lift();

    const result = await waiting;
    const endedAt = Date.now();
    expect(result.stderr).not.toContain("error:");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/model unavailable: anthropic 529, retrying in \d+s/);
    expect(result.stdout).toContain("run paused: model_unavailable");
    expect(result.stdout).toContain("anthropic answers again");
    expect(result.stdout).toContain("run completed");
    const done = RunView.parse(JSON.parse((await cli(["cloud", "status", paused.id, "--json"])).stdout));
    expect(done.status).toBe("completed");
    expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
    // biome-ignore lint/suspicious/noConsole: the figures the issue asks for (measured, not asserted)
    console.log(
      `model outage (run --wait): paused ${((pausedAt - downAt) / 1000).toFixed(1)} s after the model went down ` +
        `(threshold 6 s, stack start included); lifted at +${((liftedAt - downAt) / 1000).toFixed(1)} s; ` +
        `run --wait ended ${((endedAt - liftedAt) / 1000).toFixed(1)} s after the model came back`,
    );
  }, 300_000);
});
