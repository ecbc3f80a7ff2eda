import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProjectRecord, projectsFilePath, writeProjects } from "@bernstein/deploy";
import { type CloudflareStandIn, startCloudflareStandIn } from "@bernstein/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runInProcess } from "../support/run-cli.js";
import { onTerminal } from "../support/terminal.js";
import { cleanEnv, type Result, runBin } from "./support.js";

// What `cloud secrets set` and `cloud destroy` do before they touch the account: their prompts,
// their confirmation and their bad input. A projects.json names a project on the loopback
// stand-in; nothing is deployed (the deploy e2e sets a secret on a deployed stack).
let cloud: CloudflareStandIn;
let config: string;
let cwd: string;
let env: Record<string, string>;

const RECORD = (accountId: string): ProjectRecord => ({
  name: "acme",
  accountId,
  url: "http://127.0.0.1:9",
  apiToken: "bst_api_fixture",
  auditKey: "audit-fixture",
  database: { name: "bernstein-acme-state", id: "00000000-0000-4000-8000-00000000acme" },
  bucket: { name: "bernstein-acme-artifacts" },
  workers: {},
  deployedAt: "2026-12-01T00:00:00.000Z",
});

const projectsFile = () => readFileSync(projectsFilePath(env), "utf8");

function cli(args: string[], input?: string): Promise<Result> {
  return runBin(args, { cwd, env, ...(input === undefined ? {} : { input }) });
}

/** The one error line (`error: <code>: ...`) and the fix under it, and no stack trace. */
function errorOf(result: Result): { code: string; line: string; fix: string } {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trimEnd().split(/\r?\n/);
  const at = lines.findIndex((line) => line.startsWith("error: "));
  expect(at, result.stderr).toBeGreaterThanOrEqual(0);
  expect(lines.length - at, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  const line = lines[at] as string;
  return { code: line.split(": ")[1] as string, line, fix: (lines[at + 1] as string).trim() };
}

beforeAll(async () => {
  cloud = await startCloudflareStandIn();
  config = mkdtempSync(join(tmpdir(), "bernstein-cloud-prompts-"));
  cwd = mkdtempSync(join(tmpdir(), "bernstein-cloud-prompts-cwd-"));
  env = cleanEnv({
    XDG_CONFIG_HOME: config,
    CLOUDFLARE_API_BASE_URL: cloud.apiBaseUrl,
    CLOUDFLARE_API_TOKEN: cloud.token,
  });
}, 60_000);

beforeEach(async () => {
  await writeProjects(projectsFilePath(env), { version: 1, projects: { acme: RECORD(cloud.accountId) } });
});

afterAll(async () => {
  await cloud?.close();
  for (const dir of [config, cwd]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cloud secrets set refuses bad input before anything is read or sent", () => {
  it("a name the Workers do not read, a name deploy manages, an unknown project, an unknown --worker", async () => {
    const before = cloud.requests.length;
    // These fail before the value is read, so they run in process.
    const set = (...args: string[]) => runInProcess(["cloud", "secrets", "set", ...args], { cwd, env });
    const [lower, typo, managed, unknown, worker] = await Promise.all([
      set("anthropic_api_key", "--project", "acme"),
      set("ANTHROPIC_KEY", "--project", "acme"),
      set("API_TOKEN", "--project", "acme"),
      set("ANTHROPIC_API_KEY", "--project", "nope"),
      set("ANTHROPIC_API_KEY", "--project", "acme", "--worker", "both"),
    ]);
    for (const result of [lower, typo, managed]) {
      expect(errorOf(result)).toMatchObject({ code: "usage" });
      expect(errorOf(result).fix).toContain("ANTHROPIC_API_KEY, OPENAI_API_KEY");
    }
    expect(errorOf(managed).line).toContain("API_TOKEN is set by cloud deploy");
    expect(errorOf(unknown)).toMatchObject({ code: "unknown_project" });
    expect(errorOf(unknown).fix).toContain("bernstein cloud deploy --project nope");
    expect(errorOf(worker)).toMatchObject({ code: "usage" });
    expect(errorOf(worker).fix).toContain("--worker orchestrator");
    expect(cloud.requests.length).toBe(before);
  });

  it("an empty value on stdin (a lone newline is empty too)", async () => {
    const before = cloud.requests.length;
    const result = await cli(["cloud", "secrets", "set", "OPENAI_API_KEY", "--project", "acme", "--json"], "\n");
    expect(errorOf(result)).toMatchObject({ code: "usage" });
    expect(errorOf(result).line).toContain("OPENAI_API_KEY is empty: nothing was set");
    expect(errorOf(result).fix).toContain("| bernstein cloud secrets set OPENAI_API_KEY --project acme");
    expect(result.stdout).toBe("");
    expect(cloud.requests.length).toBe(before);
  }, 60_000);
});

describe("cloud destroy asks for the project name unless --yes", () => {
  it("off a terminal without --yes it refuses at once, and changes nothing", async () => {
    const before = { requests: cloud.requests.length, file: projectsFile() };
    const refused = errorOf(await cli(["cloud", "destroy", "--project", "acme", "--delete-data"]));
    expect(refused.code).toBe("usage");
    expect(refused.line).toContain("no terminal to ask on");
    expect(refused.fix).toContain("bernstein cloud destroy --project acme --yes");
    // An unknown project is said first: there is nothing to confirm (in process: it asks nothing).
    const unknown = await runInProcess(["cloud", "destroy", "--project", "nope"], { cwd, env });
    expect(errorOf(unknown).code).toBe("unknown_project");
    expect({ requests: cloud.requests.length, file: projectsFile() }).toEqual(before);
  }, 60_000);

  it("on a terminal, an answer that is not the project's name destroys nothing, even with --delete-data", async () => {
    const before = { requests: cloud.requests.length, file: projectsFile() };
    const session = onTerminal(["cloud", "destroy", "--project", "acme", "--delete-data"], { cwd, env });
    await session.waitFor("to confirm: ");
    expect(session.screen()).toContain("Destroy its Workers, D1 database and R2 bucket?");
    session.type("acme-typo\r");
    expect(await session.exited).not.toBe(0);
    expect(session.screen()).toContain("error: usage: the name typed does not match: nothing was destroyed");
    expect({ requests: cloud.requests.length, file: projectsFile() }).toEqual(before);
  }, 60_000);

  it("on a terminal, the project's name deletes the Workers; the D1 database and R2 bucket stay without --delete-data", async () => {
    const { account } = cloud;
    const at = new Date().toISOString();
    const { database, bucket } = RECORD(cloud.accountId);
    account.databases.set(database.id as string, { uuid: database.id as string, name: database.name, created_at: at });
    account.buckets.set(bucket.name, { name: bucket.name, creation_date: at });
    for (const name of ["bernstein-acme-orchestrator", "bernstein-acme-agent"]) {
      account.scripts.set(name, {
        name,
        tag: name,
        created_on: at,
        modified_on: at,
        versions: [],
        deployments: [],
        classes: new Map(),
        secrets: new Map(),
        subdomainEnabled: false,
      });
    }
    const session = onTerminal(["cloud", "destroy", "--project", "acme", "--json"], { cwd, env });
    await session.waitFor("to confirm: ");
    expect(session.screen()).toContain("Destroy its Workers (the data stays)?");
    session.type("acme\r");
    expect(await session.exited, session.screen()).toBe(0);
    expect([...account.scripts.keys()]).toEqual([]);
    expect([...account.databases.values()].map((db) => db.name)).toEqual([database.name]);
    expect([...account.buckets.keys()]).toEqual([bucket.name]);
    const deletes = cloud.requests.filter((r) => r.method === "DELETE").map((r) => r.url);
    expect(deletes.some((url) => url.includes("/d1/") || url.includes("/r2/"))).toBe(false);
    const result = JSON.parse(session.screen().slice(session.screen().indexOf("{")));
    expect(result.kept).toEqual([database.name, bucket.name]);
    expect(JSON.parse(projectsFile()).projects).toEqual({});
  }, 120_000);
});
