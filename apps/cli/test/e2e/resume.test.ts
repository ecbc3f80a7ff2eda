import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@bernstein/client";
import type { RunEvent, RunResult, RunView } from "@bernstein/core";
import {
  createFixtureRepo,
  type FixtureRepo,
  type ModelScript,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, runBin } from "./support.js";

// Fault injection: the stack process (and its workerd) is killed with SIGKILL three times
// while a 10-task run is going: during planning, with several agents mid-turn, and right
// after a merge. Each restart of `bernstein dev` restarts the unfinished workflows, whose
// step journals replay what they had finished; the run must end as an uninterrupted run does,
// and no finished model turn may be requested again.

const KEY = "e2e-resume-key";
const DELAY_MS = 500;
const TASKS = 10;
const GOAL = "Write ten notes";
const title = (i: number) => `Write note ${i}`;

function script(): ModelScript {
  const tasks: ModelScript["tasks"] = {};
  for (let i = 1; i <= TASKS; i++) {
    tasks[title(i)] = [
      { delayMs: DELAY_MS, tools: [{ name: "write_file", input: { path: `notes/n${i}.md`, content: `note ${i}\n` } }] },
      { delayMs: DELAY_MS, tools: [{ name: "finish", input: { summary: `wrote note ${i}` } }] },
    ];
  }
  const plan = Array.from({ length: TASKS }, (_, k) => ({
    id: `t${k + 1}`,
    title: title(k + 1),
    description: `Write notes/n${k + 1}.md`,
    role: "docs",
    owned_files: [`notes/n${k + 1}.md`],
  }));
  return { plan: [{ delayMs: 1_500, tools: [{ name: "submit_plan", input: { tasks: plan } }] }], tasks };
}

interface Dev {
  child: ChildProcess;
  startedAt: number;
  url: string;
  token: string;
}

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
let dev: Dev | undefined;

/** `bernstein dev` in its own process group, so a SIGKILL takes workerd down with it. */
async function startDev(): Promise<Dev> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [BIN, "dev", "--port", "0"], { cwd: repo.dir, env, detached: true });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await until(
    () => output.includes("Press Ctrl-C to stop."),
    60_000,
    () => output,
  );
  const info = JSON.parse(readFileSync(join(repo.dir, ".bernstein", "stack.json"), "utf8")) as {
    url: string;
    token: string;
  };
  return { child, startedAt, url: info.url, token: info.token };
}

/** Kills the stack and returns how many model requests had arrived by the time it was dead. */
async function killDev(target: Dev): Promise<number> {
  const exited = new Promise((resolve) => target.child.once("exit", resolve));
  process.kill(-(target.child.pid as number), "SIGKILL");
  await exited;
  return model.requests.length;
}

function client(target: Dev) {
  return createClient({ baseUrl: target.url, token: target.token });
}

/** Follows the run's log on `target` (from the start, then live) until `done` holds for what came. */
async function untilEvents(target: Dev, runId: string, done: (seen: RunEvent[]) => boolean): Promise<void> {
  const seen: RunEvent[] = [];
  for await (const event of client(target).events(runId)) {
    seen.push(event);
    if (done(seen)) return;
  }
  throw new Error(`run ${runId} ended before the condition held`);
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000, why = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the condition ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  model = await startScriptedModel(script(), { apiKey: KEY });
  repo = await createFixtureRepo("calculator");
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY });
});

afterAll(async () => {
  if (dev) await killDev(dev);
  await model?.close();
  await repo?.cleanup();
});

describe("a run killed three times", () => {
  it("completes with the same result as an uninterrupted run, repeating no finished model turn", async () => {
    dev = await startDev();
    const started = await runBin(["run", "--goal", GOAL, "--json"], { cwd: repo.dir, env });
    expect(started.code).toBe(0);
    const runId = (JSON.parse(started.stdout) as RunView).id;
    const kills: number[] = [];
    const restarts: { startedAt: number; firstRequestMs: number | null }[] = [];
    const restart = async () => {
      dev = await startDev();
      restarts.push({ startedAt: dev.startedAt, firstRequestMs: null });
    };

    // 1. During planning: the planning call is in flight.
    await until(() => model.requests.some((r) => r.key === "plan"));
    kills.push(await killDev(dev));
    await restart();

    // 2. With several agents mid-turn.
    await untilEvents(dev, runId, (seen) => seen.filter((e) => e.type === "attempt.started").length >= 3);
    await until(() => model.requests.filter((r) => r.key.startsWith("Write note")).length >= 3);
    kills.push(await killDev(dev));
    await restart();

    // 3. Right after a merge, while other attempts finish.
    await untilEvents(dev, runId, (seen) => seen.some((e) => e.type === "merge.applied"));
    kills.push(await killDev(dev));
    await restart();

    let final: RunView | undefined;
    await until(async () => {
      final = await client(dev as Dev).getRun(runId);
      return final.status === "completed" || final.status === "failed";
    }, 240_000);
    expect(final?.status).toBe("completed");
    expect(final?.tasks.every((t) => t.status === "merged")).toBe(true);

    // Each task merged exactly once, and the event log has no repeated seq.
    const result: RunResult = await client(dev).getResult(runId);
    expect(result.merges).toHaveLength(TASKS);
    expect(new Set(result.merges.map((m) => m.taskId)).size).toBe(TASKS);
    const log: RunEvent[] = [];
    for await (const event of client(dev).events(runId)) log.push(event); // the ended run's whole log
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((e) => e.type === "merge.applied")).toHaveLength(TASKS);

    // The model: every (task, turn) once, except calls in flight at a kill.
    // Kills are counted in requests (what had arrived when the stack was dead), not in time:
    // a turn was surely finished at a kill when its agent had already asked its next turn (the
    // planner: when any agent had asked); any other turn asked before the kill may have been in
    // flight, and its repeat is allowed.
    const requests = model.requests;
    const firstRequest = new Map<string, number>();
    const repeats: { key: string; inFlightAtKill: boolean; afterKill: number }[] = [];
    requests.forEach((request, index) => {
      const id = `${request.key}#${request.turn}`;
      const firstIndex = firstRequest.get(id);
      if (firstIndex === undefined) {
        firstRequest.set(id, index);
        return;
      }
      const finishedBy = (count: number) =>
        requests
          .slice(0, count)
          .some((q) => (q.key === request.key ? q.turn > request.turn : request.key === "plan" && q.key !== "plan"));
      const inFlightAtKill = kills.some((count) => firstIndex < count && !finishedBy(count));
      repeats.push({ key: id, inFlightAtKill, afterKill: kills.filter((count) => count <= index).length });
    });
    for (const r of restarts) {
      const next = model.requests.find((q) => q.at >= r.startedAt);
      r.firstRequestMs = next ? next.at - r.startedAt : null;
    }
    process.stderr.write(
      `resume figures: ${JSON.stringify({
        kills: kills.length,
        repeated_in_flight: repeats.filter((r) => r.inFlightAtKill).length,
        repeated_finished: repeats.filter((r) => !r.inFlightAtKill).length,
        repeats: repeats.map((r) => r.key),
        restart_to_first_model_request_ms: restarts.map((r) => r.firstRequestMs),
      })}\n`,
    );
    expect(repeats.filter((r) => !r.inFlightAtKill)).toEqual([]);
    // At most one call per agent (4) can be in flight at a kill, and only the planner at the first.
    const perKill = kills.map((_, i) => repeats.filter((r) => r.afterKill === i + 1).length);
    expect(perKill[0]).toBeLessThanOrEqual(1);
    for (const count of perKill) expect(count).toBeLessThanOrEqual(4);
    expect(firstRequest.size).toBe(1 + TASKS * 2);

    // The same merged tree as an uninterrupted run of the same goal on the same base.
    const again = await runBin(["run", "--goal", GOAL, "--wait", "--json"], { cwd: repo.dir, env });
    expect(again.code).toBe(0);
    const uninterrupted = await client(dev).getResult((JSON.parse(again.stdout) as RunView).id);
    expect(result.merges.at(-1)?.manifest).toBe(uninterrupted.merges.at(-1)?.manifest);
  }, 480_000);
});
