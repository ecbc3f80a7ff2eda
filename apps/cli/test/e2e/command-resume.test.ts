import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent, RunView } from "@bernstein/core";
import { createFixtureRepo, type FixtureRepo, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevProcess, startDevProcess } from "./dev-process.js";
import { cleanEnv, runBin } from "./support.js";

// Fault injection around an agent's commands: `bernstein dev` (stack and runner) is killed
// with SIGKILL while a command runs, and again right after another one finished. Each command
// appends a line to a file outside the workspace and its git tree, which counts its runs.

const KEY = "e2e-command-resume-key";
const TITLE = "Count the command runs";

let model: ScriptedModel;
let repo: FixtureRepo;
let outside: string;
let env: Record<string, string>;
let dev: DevProcess | undefined;
let first: string;
let second: string;

const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

beforeAll(async () => {
  repo = await createFixtureRepo("calculator");
  outside = mkdtempSync(join(tmpdir(), "bernstein-command-resume-"));
  first = join(outside, "first.txt");
  second = join(outside, "second.txt");
  model = await startScriptedModel(
    {
      tasks: {
        [TITLE]: [
          { tools: [{ name: "run_command", input: { command: `echo ran >> '${first}'; sleep 3; echo first done` } }] },
          { tools: [{ name: "run_command", input: { command: `echo ran >> '${second}'; echo second done` } }] },
          { tools: [{ name: "write_file", input: { path: "NOTES.md", content: "counted\n" } }] },
          { tools: [{ name: "finish", input: { summary: "counted" } }] },
        ],
      },
    },
    { apiKey: KEY },
  );
  // Warm workspaces in a directory of this test's own, not the user's cache.
  env = cleanEnv({
    ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
    ANTHROPIC_API_KEY: KEY,
    XDG_CACHE_HOME: join(outside, "cache"),
  });
  writeFileSync(join(outside, "plan.json"), JSON.stringify({ tasks: [{ id: "t1", title: TITLE }] }));
}, 60_000);

afterAll(async () => {
  await dev?.kill();
  await model?.close();
  await repo?.cleanup();
  if (outside) rmSync(outside, { recursive: true, force: true });
});

describe("an agent's commands across SIGKILLs of the stack", () => {
  it("runs the command in flight once more, and never runs a finished one again", async () => {
    dev = await startDevProcess(repo.dir, env);
    const started = await runBin(["run", "--goal", "count", "--plan", join(outside, "plan.json"), "--json"], {
      cwd: repo.dir,
      env,
    });
    expect(started.code, started.stderr).toBe(0);
    const runId = (JSON.parse(started.stdout) as RunView).id;

    // 1. While the first command runs: it has started (its line is written) and sleeps.
    await expect.poll(() => lines(first).length, { timeout: 120_000, interval: 50 }).toBe(1);
    await dev.kill();
    dev = await startDevProcess(repo.dir, env);

    // 2. Right after the second command's result reached the coordinator.
    let secondJob: string | undefined;
    for await (const event of dev.client.events(runId)) {
      if (event.type === "log" && event.data.kind === "command.queued" && String(event.data.command).includes(second))
        secondJob = String(event.data.job);
      if (isResult(event) && event.data.job === secondJob) break;
    }
    expect(lines(second)).toHaveLength(1);
    await dev.kill();
    dev = await startDevProcess(repo.dir, env);

    const client = dev.client;
    await expect
      .poll(async () => (await client.getRun(runId)).status, { timeout: 120_000, interval: 200 })
      .toMatch(/^(completed|failed)$/);
    const final = await client.getRun(runId);
    expect(final.status).toBe("completed");
    expect(final.tasks[0]?.status).toBe("merged");
    // The one in flight at the first kill ran once more; the finished one never again.
    expect(lines(first)).toHaveLength(2);
    expect(lines(second)).toHaveLength(1);
    // Each result reached the agent: the model saw both outputs.
    const sent = JSON.stringify(model.requests.filter((r) => r.key === TITLE).map((r) => r.body));
    expect(sent).toContain("first done");
    expect(sent).toContain("second done");
    // The task lists both commands, settled; the first was claimed again after the kill.
    const task = await client.getTask(final.tasks[0]?.id ?? "");
    expect(task.commands.map((c) => [c.status, c.exitCode])).toEqual([
      ["passed", 0],
      ["passed", 0],
    ]);
    expect(task.commands[0]?.claims).toBe(2);
    expect(task.commands[1]?.claims).toBe(1);
  }, 400_000);
});

function isResult(event: RunEvent): boolean {
  return event.type === "log" && event.data.kind === "command" && event.data.exitCode !== undefined;
}
