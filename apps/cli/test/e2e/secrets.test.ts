import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { RunView } from "@bernstein/core";
import {
  CALCULATOR_PLAN,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, type Result, runBin } from "./support.js";

/**
 * Known secret values in the environment of the CLI (and so of the stack and its runner): a
 * verify command prints its whole environment and the stack's own stack.json, fails on the
 * task's tree, and is retried with its log as feedback. None of the values may show up anywhere
 * afterwards: the verify log, D1, events, status, the next prompt to the model, any API
 * response, or any byte of the state directory.
 */

const alnum = (n: number) =>
  [...randomBytes(n)].map((b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[b % 62]).join("");
const SECRETS = {
  GITHUB_TOKEN: `ghp_${alnum(36)}`,
  CLOUDFLARE_API_TOKEN: alnum(40),
  AWS_SECRET_ACCESS_KEY: `${alnum(20)}/${alnum(19)}`,
};
const MODEL_KEY = `sk-ant-e2e-${alnum(24)}`;
// The verify command: its whole environment and the stack's own credentials file (by its absolute
// path: the job's tree is a workspace outside the repository). It passes on the integration tree
// and fails on the task's (which adds src/multiply.js), so the failure is the task's regression
// and its log becomes the next attempt's feedback; a command failing on both trees would pass.
const peek = (stateDir: string) => `env; cat '${stateDir}/stack.json'; test ! -e src/multiply.js`;

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
let runId = "";
const cli = (args: string[]): Promise<Result> => runBin(args, { cwd: repo.dir, env });

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript(), { apiKey: MODEL_KEY });
  repo = await createFixtureRepo("calculator");
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: MODEL_KEY, ...SECRETS });
}, 60_000);

afterAll(async () => {
  if (repo) await cli(["dev", "stop"]);
  await model?.close();
  await repo?.cleanup();
});

/** Every file under `dir`, as bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

describe("secrets in the environment of a run", () => {
  it("runs a task whose verify command prints its environment and the stack's token, and fails", async () => {
    const planFile = join(repo.dir, "..", "secrets-plan.json");
    writeFileSync(planFile, JSON.stringify({ tasks: CALCULATOR_PLAN.tasks.slice(0, 1) }));
    const result = await cli([
      "run",
      "--goal",
      "multiply",
      "--plan",
      planFile,
      "--verify",
      peek(join(repo.dir, ".bernstein")),
      "--wait",
      "--json",
    ]);
    const run = RunView.parse(JSON.parse(result.stdout));
    runId = run.id;
    expect(run.status).toBe("failed");
    expect(run.tasks[0]?.attempt).toBeGreaterThanOrEqual(2); // the failure came back as feedback
  }, 180_000);

  it("shows none of the values anywhere: log, D1, events, status, prompts, API answers, state dir", async () => {
    const stack = JSON.parse(readFileSync(join(repo.dir, ".bernstein", "stack.json"), "utf8")) as {
      url: string;
      token: string;
    };
    const auditKey = readFileSync(join(repo.dir, ".bernstein", "audit-key"), "utf8").trim();
    const api = async (path: string) => {
      const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.token}` } });
      expect(res.status, path).toBe(200);
      return res.text();
    };
    const task = RunView.parse(JSON.parse(await api(`/v1/runs/${runId}`))).tasks[0]?.id as string;

    const logs = await cli(["logs", task, "--attempt", "1"]); // attempt 2 repeats the patch: no_progress, no verify
    const log = logs.stdout;
    expect(logs.code, logs.stderr).toBe(0);
    // The command ran, saw only the allowlist, and the token it printed was redacted.
    expect(log).toContain("CI=true");
    expect(log).toMatch(/"token": "\[REDACTED\]"/);
    expect(log).not.toMatch(/GITHUB_TOKEN|CLOUDFLARE_API_TOKEN|AWS_SECRET_ACCESS_KEY|ANTHROPIC_/);

    const texts: Record<string, string> = {
      logs: log,
      "cloud status --json": (await cli(["cloud", "status", runId, "--json"])).stdout,
      "tasks --json": (await cli(["tasks", runId, "--json"])).stdout,
      "cost --json": (await cli(["cost", runId, "--json"])).stdout,
      "audit export": (await cli(["audit", "export", runId])).stdout,
      "tokens list": (await cli(["tokens", "list", "--all", "--json"])).stdout,
      "model requests (the next prompt)": JSON.stringify(model.requests.map((r) => r.body)),
    };
    for (const path of [
      `/v1/runs/${runId}`,
      `/v1/runs/${runId}/tasks`,
      `/v1/runs/${runId}/events?after=0`,
      `/v1/runs/${runId}/result`,
      `/v1/runs/${runId}/cost`,
      `/v1/tasks/${task}`,
      `/v1/tasks/${task}/logs?attempt=1`,
      `/v1/runs`,
      `/v1/cost`,
      "/v1/tokens?all=1",
      `/v1/audit/${runId}`,
      `/v1/artifacts/runs/${runId}/tasks/${task}/a1/transcript.jsonl`,
      `/v1/artifacts/runs/${runId}/tasks/${task}/a2/transcript.jsonl`,
      `/v1/artifacts/runs/${runId}/tasks/${task}/a1/verify.log`,
    ]) {
      texts[`GET ${path}`] = await api(path);
    }
    const feedback = texts["model requests (the next prompt)"] ?? "";
    expect(feedback).toContain("Feedback from the previous attempt");
    expect(feedback).toContain("CI=true");

    const values = { ...SECRETS, MODEL_KEY, ADMIN_TOKEN: stack.token, AUDIT_KEY: auditKey };
    for (const [where, text] of Object.entries(texts)) {
      for (const [name, value] of Object.entries(values))
        expect(text.includes(value), `${name} in ${where}`).toBe(false);
    }

    // Every byte of the state dir: D1, R2, DO storage, Workflows, logs, caches. The two files
    // that hold credentials by design hold only their own.
    const stateDir = join(repo.dir, ".bernstein");
    const files = filesUnder(stateDir);
    expect(files.length).toBeGreaterThan(5);
    let scanned = 0;
    for (const { path, bytes } of files) {
      const name = relative(stateDir, path);
      scanned += bytes.length;
      for (const [secret, value] of Object.entries(values)) {
        const allowed =
          (name === "stack.json" && secret === "ADMIN_TOKEN") || (name === "audit-key" && secret === "AUDIT_KEY");
        if (!allowed) expect(bytes.includes(Buffer.from(value)), `${secret} in ${name}`).toBe(false);
      }
    }
    // The state dir is the user's alone.
    expect(statSync(stateDir).mode & 0o077).toBe(0);
    // biome-ignore lint/suspicious/noConsole: the figure for the report
    console.log(`secrets: scanned ${files.length} files (${scanned} bytes) and ${Object.keys(texts).length} answers`);
  }, 120_000);

  it("verifies the failed run's sealed audit chain", async () => {
    const verified = await cli(["audit", "verify", runId]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^✓ ${runId}: \\d+ links intact, sealed`));
  });

  it("creates, lists, revokes and rotates tokens from the CLI; each change holds from the next request", async () => {
    const stackFile = join(repo.dir, ".bernstein", "stack.json");
    const stack = () => JSON.parse(readFileSync(stackFile, "utf8")) as { url: string; token: string };
    const { url, token: admin } = stack();
    const call = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
    const claim = (token: string) =>
      call(token, "/v1/runners/jobs/claim", { method: "POST", body: '{"waitSeconds":0}' });

    const created = await cli(["tokens", "create", "--runner", "--name", "ci", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const { name, scope, token } = JSON.parse(created.stdout) as { name: string; scope: string; token: string };
    expect({ name, scope }).toEqual({ name: "ci", scope: "runner" });
    expect((await claim(token)).status).toBe(204);
    expect((await call(token, "/v1/runs")).status).toBe(403); // a runner token reaches only runner routes

    const listed = await cli(["tokens", "list", "--json"]);
    expect(listed.stdout).not.toContain(token);
    const names = (JSON.parse(listed.stdout) as { tokens: { name: string; lastUsedAt: string | null }[] }).tokens;
    expect(names.find((t) => t.name === "ci")?.lastUsedAt).not.toBeNull();

    expect((await cli(["tokens", "revoke", "ci"])).code).toBe(0);
    const refused = await claim(token);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/revoked/);

    const rotated = await cli(["tokens", "rotate", "--admin", "--json"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const next = (JSON.parse(rotated.stdout) as { token: string }).token;
    expect(stack().token).toBe(next); // the CLI's own stack.json follows
    expect((await call(admin, "/v1/runs")).status).toBe(403);
    expect((await call(next, "/v1/runs")).status).toBe(200);
    expect((await cli(["tasks", runId, "--json"])).code).toBe(0);
  });
});
