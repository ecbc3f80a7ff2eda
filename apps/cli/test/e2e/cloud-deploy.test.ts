import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  type CloudflareStandIn,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  type ScriptedModel,
  sha256,
  startCloudflareStandIn,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onTerminal } from "../support/terminal.js";
import { BIN, cleanEnv, type Result, runBin } from "./support.js";

// The whole deploy through the real CLI and the real (pinned) wrangler, against the loopback
// Cloudflare stand-in, which runs what wrangler uploaded under Miniflare.
const KEY = "e2e-cloud-model-key-0123456789";
// Set later with `cloud secrets set`: from a pipe, typed on a terminal, typed with stdout in a file.
const PIPED = "sk-piped-secret-value-4242";
const TYPED = "sk-typed-secret-value-5353";
const TYPED_REDIRECTED = "sk-typed-redirected-value-6464";

let cloud: CloudflareStandIn;
let model: ScriptedModel;
let repo: FixtureRepo;
let config: string;
let env: Record<string, string>;
let runner: ChildProcess | undefined;
const outputs: string[] = [];

async function cli(args: string[], input?: string): Promise<Result> {
  const result = await runBin(args, { cwd: repo.dir, env, ...(input === undefined ? {} : { input }) });
  outputs.push(result.stdout, result.stderr);
  return result;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.dir, encoding: "utf8" }).trim();

interface Project {
  url: string;
  apiToken: string;
  auditKey: string;
  runnerToken: string;
  bootstrapToken?: string;
}

function project(): Project {
  const file = JSON.parse(readFileSync(join(config, "bernstein", "projects.json"), "utf8"));
  return file.projects.acme as Project;
}

beforeAll(async () => {
  cloud = await startCloudflareStandIn();
  model = await startScriptedModel(calculatorScript(), { apiKey: KEY });
  repo = await createFixtureRepo("calculator");
  config = mkdtempSync(join(tmpdir(), "bernstein-cloud-config-"));
  env = cleanEnv({
    XDG_CONFIG_HOME: config,
    CLOUDFLARE_API_BASE_URL: cloud.apiBaseUrl,
    CLOUDFLARE_API_TOKEN: cloud.token,
    BERNSTEIN_WORKERS_DEV_URL_TEMPLATE: cloud.workersDevUrlTemplate,
    ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
    ANTHROPIC_API_KEY: KEY,
  });
}, 120_000);

afterAll(async () => {
  runner?.kill("SIGTERM");
  await cloud?.close();
  await model?.close();
  await repo?.cleanup();
  if (config) rmSync(config, { recursive: true, force: true });
});

describe("bernstein cloud deploy on a loopback Cloudflare account", () => {
  let runId = "";
  let firstDeployRequests = 0;

  it("deploys both Workers, D1, R2, migrations and secrets, and records the project (0600)", async () => {
    const result = await cli(["cloud", "deploy", "--project", "acme", "--location-hint", "weur", "--json", "--debug"]);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    const deployed = JSON.parse(result.stdout);
    expect(deployed.created.sort()).toEqual([
      "bernstein-acme-agent",
      "bernstein-acme-artifacts",
      "bernstein-acme-orchestrator",
      "bernstein-acme-state",
    ]);
    expect(deployed.secretsSet.sort()).toEqual(["ANTHROPIC_API_KEY", "API_TOKEN", "AUDIT_HMAC_KEY"]);
    expect(statSync(join(config, "bernstein", "projects.json")).mode & 0o777).toBe(0o600);

    const { account } = cloud;
    expect([...account.scripts.keys()].sort()).toEqual(["bernstein-acme-agent", "bernstein-acme-orchestrator"]);
    expect([...account.workflows.keys()].sort()).toEqual(["bernstein-acme-plan", "bernstein-acme-task"]);
    const orchestrator = account.scripts.get("bernstein-acme-orchestrator");
    expect(orchestrator?.migrationTag).toBe("v1");
    expect(orchestrator?.classes.get("RunCoordinator")).toBe("sqlite");
    expect([...(orchestrator?.secrets.keys() ?? [])].sort()).toEqual([
      "ANTHROPIC_API_KEY",
      "API_TOKEN",
      "AUDIT_HMAC_KEY",
    ]);
    expect(orchestrator?.secrets.get("API_TOKEN")).toBe(project().apiToken);
    // The location hint went with both creation requests (and no jurisdiction).
    const created = (path: string) => cloud.requests.filter((r) => r.method === "POST" && r.url === path);
    const d1 = created(`/accounts/${cloud.accountId}/d1/database`);
    expect(d1.map((r) => [r.body, r.jurisdiction])).toEqual([
      [{ name: "bernstein-acme-state", primary_location_hint: "weur" }, undefined],
    ]);
    const r2 = created(`/accounts/${cloud.accountId}/r2/buckets`);
    expect(r2.map((r) => [r.body, r.jurisdiction])).toEqual([
      [{ name: "bernstein-acme-artifacts", locationHint: "weur" }, undefined],
    ]);
    // The D1 migrations ran remotely, through the query API.
    const db = await cloud.runtime.d1([...account.databases.keys()][0] as string);
    const { results } = await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    const migrations = readdirSync(new URL("../../../../packages/db/drizzle/", import.meta.url))
      .filter((name) => name.endsWith(".sql"))
      .sort();
    expect(migrations.length).toBeGreaterThan(0);
    expect(results.map((r) => r.name)).toEqual(migrations);
    firstDeployRequests = cloud.requests.length;
  }, 240_000);

  it("runs a goal on the deployed stack with a runner, and pull --cloud writes the branch", async () => {
    const { url } = project();
    runner = spawn(process.execPath, [BIN, "runner", "--cloud"], { cwd: repo.dir, env, stdio: "ignore" });
    const result = await cli([
      "run",
      "--cloud",
      "--goal",
      CALCULATOR_GOAL,
      "--verify",
      "node --test",
      "--wait",
      "--json",
    ]);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    const run = RunView.parse(JSON.parse(result.stdout));
    runId = run.id;
    expect(run.status).toBe("completed");
    expect(run.tasks.every((t) => t.status === "merged")).toBe(true);
    // It ran on the uploaded Workers: the stand-in's workers.dev URL served it.
    expect(url.startsWith(cloud.workersDevUrlTemplate.replace("/{script}", ""))).toBe(true);

    // The run's events, as the deployed stack streams them (the stream ends with the run).
    const events = await fetch(`${url}/v1/runs/${runId}/events?after=0`, {
      headers: { authorization: `Bearer ${project().apiToken}` },
      signal: AbortSignal.timeout(60_000),
    });
    expect(events.status).toBe(200);
    outputs.push(await events.text());

    git("branch", "-D", `bernstein/${runId}`);
    const pulled = await cli(["pull", "--cloud", runId]);
    expect(pulled.code).toBe(0);
    expect(git("rev-parse", "--verify", `bernstein/${runId}`)).toMatch(/^[0-9a-f]{40}$/);
  }, 240_000);

  it("serves the dashboard from the deployed Worker: dashboard --cloud signs in, and the run is there", async () => {
    const { url } = project();
    // The dashboard's files went up through an assets upload session, bound as ASSETS.
    const uploads = cloud.requests.filter((r) => r.method === "POST").map((r) => r.url);
    expect(uploads).toContain(
      `/accounts/${cloud.accountId}/workers/scripts/bernstein-acme-orchestrator/assets-upload-session`,
    );
    expect(uploads).toContain(`/accounts/${cloud.accountId}/workers/assets/upload?base64=true`);

    const result = await cli(["dashboard", "--cloud", runId, "--no-open", "--json"]);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    const link = JSON.parse(result.stdout) as { url: string; login_url: string };
    expect(link.login_url.startsWith(`${url}/login?code=`)).toBe(true);
    const login = await fetch(link.login_url, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
    expect(login.status).toBe(303);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-bernstein_session=.+; Secure$/); // deployed: https only
    const cookie = setCookie.split(";")[0] as string;
    // The stand-in serves each Worker under /<script>, so the app's absolute paths go under url.
    const page = await fetch(`${url}${login.headers.get("location")}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const code = await fetch(`${url}${script}`);
    expect(code.status).toBe(200);
    expect(code.headers.get("content-type")).toMatch(/javascript/);
    const run = await fetch(`${url}/v1/runs/${runId}`, { headers: { cookie } });
    expect(run.status).toBe(200);
    expect(RunView.parse(await run.json())).toMatchObject({ id: runId, status: "completed" });
  }, 120_000);
  it("tokens and audit work with --cloud, and the deployed D1 holds token digests only", async () => {
    const { url } = project();
    const verified = await cli(["audit", "verify", "--cloud", runId, "--json"]);
    expect(verified.stderr).not.toMatch(/^error:/m);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, runs: [{ runId, ok: true }] });

    const created = await cli(["tokens", "create", "--runner", "--name", "ci-extra", "--cloud", "--json"]);
    expect(created.code).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    const listed = await cli(["tokens", "list", "--cloud", "--json"]);
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { tokens: { name: string }[] }).tokens.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["cloud-ci", "ci-extra"]));

    // Every table of the deployed D1: hashes of the tokens, never a value.
    const db = await cloud.runtime.d1([...cloud.account.databases.keys()][0] as string);
    const { results: tables } = await db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all<{ name: string }>();
    let dump = "";
    for (const { name } of tables.filter((t) => !/^(_cf_|sqlite_)/.test(t.name))) {
      dump += JSON.stringify((await db.prepare(`SELECT * FROM "${name}"`).all()).results);
    }
    expect(dump).toContain(sha256(token));
    for (const value of [token, project().runnerToken, project().apiToken]) expect(dump).not.toContain(value);

    const claim = (bearer: string) =>
      fetch(`${url}/v1/runners/jobs/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify({ waitSeconds: 0 }),
        signal: AbortSignal.timeout(60_000),
      });
    expect((await claim(token)).status).toBeLessThan(300);
    expect((await cli(["tokens", "revoke", "ci-extra", "--cloud"])).code).toBe(0);
    expect((await claim(token)).status).toBe(403);

    // The new admin token replaces the old one in projects.json; its output is kept out of the
    // scanned outputs (it prints the value once, by design).
    const first = project().apiToken;
    const rotated = await runBin(["tokens", "rotate", "--admin", "--cloud", "--json"], { cwd: repo.dir, env });
    expect(rotated.code).toBe(0);
    const admin = (JSON.parse(rotated.stdout) as { token: string }).token;
    expect(project()).toMatchObject({ apiToken: admin, bootstrapToken: first });
    const runs = (bearer: string) =>
      fetch(`${url}/v1/runs`, { headers: { authorization: `Bearer ${bearer}` }, signal: AbortSignal.timeout(60_000) });
    expect((await runs(first)).status).toBe(403);
    expect((await runs(admin)).status).toBe(200);
    expect((await cli(["tokens", "list", "--cloud"])).code).toBe(0);
  }, 240_000);

  it("a second deploy creates nothing, uploads nothing and changes no secret", async () => {
    const before = cloud.requests.length;
    const result = await cli(["cloud", "deploy", "--project", "acme", "--json"]);
    expect(result.code).toBe(0);
    const again = JSON.parse(result.stdout);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.secretsSet).toEqual([]);
    expect(again.reused.sort()).toEqual([
      "bernstein-acme-agent",
      "bernstein-acme-artifacts",
      "bernstein-acme-orchestrator",
      "bernstein-acme-state",
    ]);
    const writes = cloud.requests
      .slice(before)
      .filter((r) => r.method !== "GET" && !r.url.endsWith("/query"))
      .map((r) => `${r.method} ${r.url}`);
    expect(writes).toEqual([]);
    expect(firstDeployRequests).toBeGreaterThan(0);
    // The Worker keeps the first (rotated-out) admin token: the live one is no Worker secret.
    const secret = cloud.account.scripts.get("bernstein-acme-orchestrator")?.secrets.get("API_TOKEN");
    expect(secret).toBe(project().bootstrapToken);
  }, 240_000);

  it("a later deploy with a jurisdiction refuses: the data was placed without one", async () => {
    const before = cloud.requests.length;
    const result = await cli(["cloud", "deploy", "--project", "acme", "--jurisdiction", "eu"]);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines.at(-2)).toBe("error: resource_conflict: project acme keeps its data outside any jurisdiction");
    expect(lines.at(-1)).toContain("deploy a new project (--project acme-eu)");
    expect(cloud.requests.length).toBe(before);
  }, 60_000);

  it("cloud secrets set: from stdin, and typed without echo on a terminal; only the name is printed", async () => {
    const scripts = () => ({
      orchestrator: cloud.account.scripts.get("bernstein-acme-orchestrator"),
      agent: cloud.account.scripts.get("bernstein-acme-agent"),
    });
    const piped = await cli(
      ["cloud", "secrets", "set", "OPENAI_API_KEY", "--project", "acme", "--json", "--debug"],
      PIPED,
    );
    expect(piped.stderr).not.toMatch(/^error:/m);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual({
      project: "acme",
      secret: "OPENAI_API_KEY",
      workers: ["bernstein-acme-orchestrator", "bernstein-acme-agent"],
    });
    expect(scripts().orchestrator?.secrets.get("OPENAI_API_KEY")).toBe(PIPED);
    expect(scripts().agent?.secrets.get("OPENAI_API_KEY")).toBe(PIPED);

    // A terminal: the prompt shows, the typed key does not (the terminal's echo is on).
    const typed = onTerminal(["cloud", "secrets", "set", "ANTHROPIC_API_KEY", "--worker", "orchestrator"], {
      cwd: repo.dir,
      env,
    });
    await typed.waitFor("ANTHROPIC_API_KEY: ");
    typed.type(`${TYPED}\r`);
    expect(await typed.exited, typed.screen()).toBe(0);
    outputs.push(typed.screen());
    expect(typed.screen()).toContain("Set ANTHROPIC_API_KEY on bernstein-acme-orchestrator.");
    expect(scripts().orchestrator?.secrets.get("ANTHROPIC_API_KEY")).toBe(TYPED);

    // Stdin a terminal, stdout a file: still no echo (the prompt goes to stderr).
    const file = join(config, "secrets-set.json");
    const redirected = onTerminal(["cloud", "secrets", "set", "ANTHROPIC_API_KEY", "--worker", "agent", "--json"], {
      cwd: repo.dir,
      env,
      redirect: file,
    });
    await redirected.waitFor("ANTHROPIC_API_KEY: ");
    redirected.type(`${TYPED_REDIRECTED}\r`);
    expect(await redirected.exited, redirected.screen()).toBe(0);
    outputs.push(redirected.screen(), readFileSync(file, "utf8"));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      project: "acme",
      secret: "ANTHROPIC_API_KEY",
      workers: ["bernstein-acme-agent"],
    });
    expect(scripts().agent?.secrets.get("ANTHROPIC_API_KEY")).toBe(TYPED_REDIRECTED);

    // The deploy's own secrets are untouched (API_TOKEN keeps the bootstrap token once the
    // admin token was rotated), and the stack still answers with the current admin token.
    expect(scripts().orchestrator?.secrets.get("API_TOKEN")).toBe(project().bootstrapToken ?? project().apiToken);
    const answer = await fetch(`${project().url}/v1/runs/${runId}`, {
      headers: { authorization: `Bearer ${project().apiToken}` },
      signal: AbortSignal.timeout(60_000),
    });
    expect(answer.status).toBe(200);
  }, 240_000);

  it("destroy --yes --delete-data removes every Worker, Workflow, database and bucket", async () => {
    const secrets = project();
    const result = await cli(["cloud", "destroy", "--project", "acme", "--yes", "--delete-data"]);
    expect(result.code).toBe(0);
    const { account } = cloud;
    expect([...account.scripts.keys()]).toEqual([]);
    expect([...account.workflows.keys()]).toEqual([]);
    expect([...account.databases.keys()]).toEqual([]);
    expect([...account.buckets.keys()]).toEqual([]);
    const projects = await cli(["cloud", "projects", "--json"]);
    expect(JSON.parse(projects.stdout)).toEqual([]);

    // No secret value in a recorded URL or body, in wrangler's argv (printed by --debug), in any
    // output or wrangler log, or in the run's events.
    const values = [
      KEY,
      PIPED,
      TYPED,
      TYPED_REDIRECTED,
      secrets.apiToken,
      secrets.auditKey,
      secrets.runnerToken,
      secrets.bootstrapToken ?? KEY,
    ];
    const recorded = JSON.stringify(cloud.requests);
    const logs = readdirSync(join(config, ".wrangler", "logs")).map((f) =>
      readFileSync(join(config, ".wrangler", "logs", f), "utf8"),
    );
    for (const value of values) {
      expect(recorded).not.toContain(value);
      for (const text of [...outputs, ...logs]) expect(text).not.toContain(value);
    }
    expect(runId).not.toBe("");
  }, 240_000);
});
