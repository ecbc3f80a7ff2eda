import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { type CloudflareStandIn, startCloudflareStandIn } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy } from "./deploy.js";
import { type ProjectRecord, projectsFilePath, writeProjects } from "./projects-file.js";
import { createDatabase } from "./resources.js";

// Where D1 and R2 data lives: what the creation requests carry (recorded by the loopback
// stand-in, with the real wrangler), and that a recorded project's jurisdiction never changes.
let cloud: CloudflareStandIn;
let dir: string;

beforeAll(async () => {
  cloud = await startCloudflareStandIn();
  dir = await mkdtemp(join(tmpdir(), "bernstein-placement-"));
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("placement of the project's data", () => {
  it("a D1 database created in a jurisdiction carries it, and not the hint (the jurisdiction decides)", async () => {
    const context = {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        XDG_CONFIG_HOME: dir,
        CLOUDFLARE_API_BASE_URL: cloud.apiBaseUrl,
        CLOUDFLARE_API_TOKEN: cloud.token,
      },
      cwd: dir,
      accountId: cloud.accountId,
    };
    const id = await createDatabase(context, "bernstein-eu-state", { jurisdiction: "eu", locationHint: "weur" });
    const posts = cloud.requests.filter(
      (r) => r.method === "POST" && r.url === `/accounts/${cloud.accountId}/d1/database`,
    );
    expect(posts.map((r) => r.body)).toEqual([{ name: "bernstein-eu-state", jurisdiction: "eu" }]);
    expect(cloud.account.databases.get(id)?.jurisdiction).toBe("eu");
  }, 120_000);

  it("a recorded project refuses another jurisdiction (none to eu, eu to fedramp) before any request", async () => {
    const env = { HOME: dir, XDG_CONFIG_HOME: dir };
    const record = (name: string, jurisdiction?: "eu"): ProjectRecord => ({
      name,
      accountId: cloud.accountId,
      apiToken: "t",
      auditKey: "k",
      database: { name: `bernstein-${name}-state` },
      bucket: { name: `bernstein-${name}-artifacts`, ...(jurisdiction ? { jurisdiction } : {}) },
      workers: {},
    });
    await writeProjects(projectsFilePath(env), {
      version: 1,
      projects: { plain: record("plain"), placed: record("placed", "eu") },
    });
    const before = cloud.requests.length;
    const bundles = { orchestrator: join(dir, "none.js"), agent: join(dir, "none.js") };
    for (const [project, jurisdiction, message] of [
      ["plain", "eu", "project plain keeps its data outside any jurisdiction"],
      ["placed", "fedramp", "project placed keeps its data in jurisdiction eu"],
    ] as const) {
      for (const dryRun of [true, false]) {
        const refused = await deploy({ project, bundles, env, jurisdiction, dryRun }).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(BernsteinError);
        expect(refused).toMatchObject({ code: "resource_conflict", message });
      }
    }
    expect(cloud.requests.length).toBe(before);
  });
});
