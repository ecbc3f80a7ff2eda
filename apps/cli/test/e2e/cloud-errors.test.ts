import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wranglerBin } from "@bernstein/deploy";
import {
  type CloudflareStandIn,
  createFixtureRepo,
  type FixtureRepo,
  startCloudflareStandIn,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, type Result, runBin } from "./support.js";

// The plan of a dry run, and the bad inputs of `cloud deploy`: each one line
// `error: <code>: ...` with a fix, and nothing half-configured that a re-run cannot finish.
let cloud: CloudflareStandIn;
let repo: FixtureRepo;
let config: string;

function envWith(extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({
    XDG_CONFIG_HOME: config,
    CLOUDFLARE_API_BASE_URL: cloud.apiBaseUrl,
    CLOUDFLARE_API_TOKEN: cloud.token,
    BERNSTEIN_WORKERS_DEV_URL_TEMPLATE: cloud.workersDevUrlTemplate,
    ...extra,
  });
}

function cli(args: string[], env = envWith()): Promise<Result> {
  return runBin(args, { cwd: repo.dir, env });
}

/** The error line and the fix line under it; nothing else on stderr after the progress lines. */
function errorOf(result: Result): { code: string; fix: string } {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trimEnd().split("\n");
  const at = lines.findIndex((line) => line.startsWith("error: "));
  expect(at).toBeGreaterThanOrEqual(0);
  expect(lines.length - at).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return { code: (lines[at] as string).split(": ")[1] as string, fix: (lines[at + 1] as string).trim() };
}

/** Creates a D1 database in the stand-in account, as another tool or project would have. */
async function stageDatabase(name: string, sql: string, jurisdiction?: string): Promise<string> {
  const api = `${cloud.apiBaseUrl}/accounts/${cloud.accountId}/d1/database`;
  const headers = { authorization: `Bearer ${cloud.token}`, "content-type": "application/json" };
  const created = await fetch(api, { method: "POST", headers, body: JSON.stringify({ name, jurisdiction }) });
  const { result } = (await created.json()) as { result: { uuid: string } };
  const ran = await fetch(`${api}/${result.uuid}/query`, { method: "POST", headers, body: JSON.stringify({ sql }) });
  expect(ran.status).toBe(200);
  return result.uuid;
}

beforeAll(async () => {
  cloud = await startCloudflareStandIn();
  repo = await createFixtureRepo("calculator");
  config = mkdtempSync(join(tmpdir(), "bernstein-cloud-errors-"));
}, 120_000);

afterAll(async () => {
  await cloud?.close();
  await repo?.cleanup();
  if (config) rmSync(config, { recursive: true, force: true });
});

describe("cloud deploy --dry-run", () => {
  it("prints the plan on a fresh machine, with no network, and each config passes wrangler deploy --dry-run", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "bernstein-dry-"));
    try {
      const before = cloud.requests.length;
      const result = await cli(["cloud", "deploy", "--project", "acme", "--dry-run", "--json"], {
        ...envWith({ XDG_CONFIG_HOME: fresh }),
      });
      expect(result.code).toBe(0);
      const plan = JSON.parse(result.stdout) as {
        project: string;
        resources: { kind: string; name: string; action: string; plan: string }[];
        workers: { name: string; config: string }[];
        secrets: string[];
      };
      expect(plan.project).toBe("acme");
      expect(plan.resources.map((r) => [r.kind, r.name, r.action])).toEqual([
        ["d1_database", "bernstein-acme-state", "create"],
        ["r2_bucket", "bernstein-acme-artifacts", "create"],
        ["worker", "bernstein-acme-orchestrator", "create"],
        ["worker", "bernstein-acme-agent", "create"],
        ["durable_object", "bernstein-acme-orchestrator/RunCoordinator", "create"],
        ["workflow", "bernstein-acme-task", "create"],
        ["workflow", "bernstein-acme-plan", "create"],
      ]);
      expect(plan.resources.every((r) => r.plan === "free")).toBe(true);
      expect(plan.secrets).toEqual(["API_TOKEN", "AUDIT_HMAC_KEY"]);
      expect(cloud.requests.length).toBe(before);
      expect(() => readFileSync(join(fresh, "bernstein", "projects.json"))).toThrow(/ENOENT/);
      for (const worker of plan.workers) {
        const out = execFileSync(process.execPath, [wranglerBin(), "deploy", "--dry-run", "-c", worker.config], {
          env: cleanEnv({ XDG_CONFIG_HOME: fresh, WRANGLER_SEND_METRICS: "false" }),
          encoding: "utf8",
          stdio: "pipe",
        });
        expect(out).toContain("--dry-run: exiting now.");
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("cloud deploy refuses bad input with one error line and a fix", () => {
  it("an unknown project", async () => {
    expect(errorOf(await cli(["cloud", "destroy", "--project", "nope", "--yes"])).code).toBe("unknown_project");
    const run = errorOf(await cli(["tasks", "--cloud", "--project", "nope"]));
    expect(run).toMatchObject({ code: "unknown_project" });
    expect(run.fix).toContain("bernstein cloud deploy --project nope");
  });

  it("a missing token", async () => {
    const env = envWith();
    delete env.CLOUDFLARE_API_TOKEN;
    const error = errorOf(await cli(["cloud", "deploy", "--project", "acme"], env));
    expect(error.code).toBe("cloud_auth");
    expect(error.fix).toContain("CLOUDFLARE_API_TOKEN");
  }, 60_000);

  it("a token without permission", async () => {
    cloud.addToken("read-only-token", ["user:read", "account:read"]);
    const error = errorOf(
      await cli(["cloud", "deploy", "--project", "acme"], envWith({ CLOUDFLARE_API_TOKEN: "read-only-token" })),
    );
    expect(error.code).toBe("cloud_permission");
    expect(error.fix).toContain("D1");
    expect(cloud.account.databases.size + cloud.account.buckets.size + cloud.account.scripts.size).toBe(0);
  }, 60_000);

  it("an existing database of another project", async () => {
    await stageDatabase(
      "bernstein-taken-state",
      "CREATE TABLE bernstein_project (name TEXT NOT NULL); INSERT INTO bernstein_project (name) VALUES ('other')",
    );
    const error = errorOf(await cli(["cloud", "deploy", "--project", "taken"]));
    expect(error.code).toBe("resource_conflict");
    expect(error.fix).toContain("--project taken-2");
    expect(cloud.account.buckets.size + cloud.account.scripts.size).toBe(0);
  }, 60_000);

  it("a failing migration, which a re-run finishes once the database is fixed (in the EU jurisdiction, kept by the re-run)", async () => {
    const id = await stageDatabase(
      "bernstein-beta-state",
      "CREATE TABLE bernstein_project (name TEXT NOT NULL); INSERT INTO bernstein_project (name) VALUES ('beta'); CREATE TABLE runs (x INTEGER)",
      "eu",
    );
    const first = ["cloud", "deploy", "--project", "beta", "--jurisdiction", "eu", "--location-hint", "enam"];
    const error = errorOf(await cli(first));
    expect(error.code).toBe("migration_failed");
    expect(error.fix).toContain("deploy again");
    expect(cloud.account.scripts.size).toBe(0);
    // The bucket was created in the jurisdiction, and the hint left out (a jurisdiction decides).
    const buckets = cloud.requests.filter(
      (r) => r.method === "POST" && r.url === `/accounts/${cloud.accountId}/r2/buckets`,
    );
    expect(buckets.map((r) => [r.body, r.jurisdiction])).toEqual([[{ name: "bernstein-beta-artifacts" }, "eu"]]);

    const db = await cloud.runtime.d1(id);
    await db.prepare("DROP TABLE runs").run();
    // No --jurisdiction: the project's own is used (the stand-in refuses an R2 binding outside it).
    const again = await cli(["cloud", "deploy", "--project", "beta", "--json"]);
    expect(again.stderr).not.toMatch(/^error:/m);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).created.sort()).toEqual(["bernstein-beta-agent", "bernstein-beta-orchestrator"]);
    expect(cloud.account.buckets.get("bernstein-beta-artifacts")?.jurisdiction).toBe("eu");

    const before = cloud.requests.length;
    const moved = errorOf(await cli(["cloud", "deploy", "--project", "beta", "--jurisdiction", "fedramp"]));
    expect(moved.code).toBe("resource_conflict");
    expect(moved.fix).toContain("cannot change after the first deploy");
    expect(cloud.requests.length).toBe(before);
  }, 240_000);
});
