import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@bernstein/client";
import type { RunEvent, RunView } from "@bernstein/core";
import { createFixtureRepo, type FixtureRepo, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, runBin } from "./support.js";

// Fault injection around an agent's command: `bernstein dev` (stack and runner) is killed with
// SIGKILL while a command runs, and again right after another one finished. Each command
// appends a line to a file outside the workspace, which counts its executions.

const KEY = "e2e-command-resume-key";
const TITLE = "Count the command runs";

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
let dev: ChildProcess | undefined;
let first: string;
let second: string;

/** `bernstein dev` in its own process group, so a SIGKILL takes workerd and the runner down with it. */
async function startDev(): Promise<{ url: string; token: string }> {
  const child = spawn(process.execPath, [BIN, "dev", "--port", "0"], { cwd: repo.dir, env, detached: true });
  dev = child;
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  await until(
    () => output.includes("Press Ctrl-C to stop."),
    60_000,
    () => output,
  );
  return JSON.parse(readFileSync(join(repo.dir, ".bernstein", "stack.json"), "utf8")) as { url: string; token: string };
}

async function killDev(): Promise<void> {
  const child = dev as ChildProcess;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-(child.pid as number), "SIGKILL");
  await exited;
  dev = undefined;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000, why = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the condition ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const client = (stack: { url: string; token: string }) => createClient({ baseUrl: stack.url, token: stack.token });
const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

beforeAll(async () => {
  repo = await createFixtureRepo("calculator");
  first = join(repo.dir, "..", `${KEY}-first.txt`);
  second = join(repo.dir, "..", `${KEY}-second.txt`);
  model = await startScriptedModel(
    {
      tasks: {
        [TITLE]: [
          { tools: [{ name: "run_command", input: { command: `echo ran >> '${first}'; sleep 4; echo first done` } }] },
          { tools: [{ name: "run_command", input: { command: `echo ran >> '${second}'` } }] },
          { tools: [{ name: "write_file", input: { path: "NOTES.md", content: "counted\n" } }] },
          { tools: [{ name: "finish", input: { summary: "counted" } }] },
        ],
      },
    },
    { apiKey: KEY },
  );
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY });
  writeFileSync(join(repo.dir, "..", `${KEY}-plan.json`), JSON.stringify({ tasks: [{ id: "t1", title: TITLE }] }));
}, 60_000);

afterAll(async () => {
  if (dev) await killDev();
  await model?.close();
  await repo?.cleanup();
});

describe("an agent's commands across SIGKILLs of the stack", () => {
  it("runs the command in flight once more, and never runs a finished one again", async () => {
    let stack = await startDev();
    const plan = join(repo.dir, "..", `${KEY}-plan.json`);
    const started = await runBin(["run", "--goal", "count", "--plan", plan, "--json"], { cwd: repo.dir, env });
    expect(started.code).toBe(0);
    const runId = (JSON.parse(started.stdout) as RunView).id;

    // 1. While the first command runs (it has started: its line is written).
    await until(() => lines(first).length === 1, 120_000);
    await killDev();
    stack = await startDev();

    // 2. Right after the second command's result reached the coordinator.
    const seen: RunEvent[] = [];
    for await (const event of client(stack).events(runId)) {
      seen.push(event);
      if (event.type === "log" && event.data.kind === "command" && event.data.exitCode === 0 && seen.some(isSecond))
        break;
    }
    expect(lines(second)).toHaveLength(1);
    await killDev();
    stack = await startDev();

    let final: RunView | undefined;
    await until(async () => {
      final = await client(stack).getRun(runId);
      return final.status === "completed" || final.status === "failed";
    }, 120_000);
    expect(final?.status).toBe("completed");
    expect(final?.tasks[0]?.status).toBe("merged");
    // The one in flight at the first kill ran again; each finished one ran once.
    expect(lines(first)).toHaveLength(2);
    expect(lines(second)).toHaveLength(1);
    // Each turn's reply reached the agent: the model saw both results.
    const body = JSON.stringify(model.requests.filter((r) => r.key === TITLE && r.turn === 2).at(-1)?.body);
    expect(body).toContain("first done");
    expect(body).toContain("exit code 0");
  }, 300_000);
});

function isSecond(event: RunEvent): boolean {
  return event.type === "log" && event.data.kind === "command.queued" && String(event.data.command).includes(second);
}
