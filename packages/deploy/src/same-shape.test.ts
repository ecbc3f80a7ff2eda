import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { miniflareOptions } from "@bernstein/local-stack";
import { projectNames, WORKER_KEYS, type WorkerKey, type WranglerConfig } from "@bernstein/stack-spec";
import { afterAll, describe, expect, it } from "vitest";
import { writeDeployConfigs } from "./deploy-configs.js";

// The local stack (Miniflare options) and a deployed project (the wrangler configs cloud
// deploy writes) must declare the same bindings, classes and migrations, under their own names.
interface Shape {
  d1: string[];
  r2: string[];
  durableObjects: { binding: string; className: string; owner: WorkerKey; sqlite: boolean }[];
  workflows: { binding: string; className: string; owner: WorkerKey }[];
}

const bundles = { orchestrator: "/nowhere/orchestrator.js", agent: "/nowhere/agent.js" };
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const LOCAL = { bundles, port: 0, persistDir: undefined, token: "t", auditKey: "k", modelEnv: {} };

function localShapes(): Record<WorkerKey, Shape> {
  const options = miniflareOptions(LOCAL);
  const shapes = {} as Record<WorkerKey, Shape>;
  for (const worker of options.workers ?? []) {
    const key = worker.name as WorkerKey;
    const owner = (script: string | undefined): WorkerKey => (script ?? key) as WorkerKey;
    shapes[key] = {
      d1: Object.keys(worker.d1Databases ?? {}),
      r2: Object.keys(worker.r2Buckets ?? {}),
      durableObjects: Object.entries(worker.durableObjects ?? {}).map(([binding, d]) => {
        const spec = d as { className: string; scriptName?: string; useSQLite?: boolean };
        return { binding, className: spec.className, owner: owner(spec.scriptName), sqlite: spec.useSQLite === true };
      }),
      workflows: Object.entries(worker.workflows ?? {}).map(([binding, w]) => {
        const spec = w as { className: string; scriptName?: string };
        return { binding, className: spec.className, owner: owner(spec.scriptName) };
      }),
    };
  }
  return shapes;
}

async function deployedShapes(): Promise<Record<WorkerKey, Shape>> {
  const dir = await mkdtemp(join(tmpdir(), "bernstein-shape-"));
  dirs.push(dir);
  for (const key of WORKER_KEYS) {
    bundles[key] = join(dir, `${key}.js`);
    await writeFile(bundles[key], "export default {};\n");
  }
  const written = await writeDeployConfigs(join(dir, "out"), { project: "acme", databaseId: "id", vars: {} }, bundles);
  const names = projectNames("acme");
  const keyOf = (script: string | undefined, self: WorkerKey): WorkerKey =>
    script === undefined ? self : (WORKER_KEYS.find((k) => names.worker(k) === script) as WorkerKey);
  const shapes = {} as Record<WorkerKey, Shape>;
  const configs = {} as Record<WorkerKey, WranglerConfig>;
  for (const key of WORKER_KEYS) configs[key] = JSON.parse(await readFile(written[key].config, "utf8"));
  for (const key of WORKER_KEYS) {
    const config = configs[key];
    const sqlite = (owner: WorkerKey, className: string) =>
      (configs[owner].migrations ?? []).some((m) => m.new_sqlite_classes?.includes(className));
    shapes[key] = {
      d1: (config.d1_databases ?? []).map((d) => d.binding),
      r2: (config.r2_buckets ?? []).map((r) => r.binding),
      durableObjects: (config.durable_objects?.bindings ?? []).map((d) => {
        const owner = keyOf(d.script_name, key);
        return { binding: d.name, className: d.class_name, owner, sqlite: sqlite(owner, d.class_name) };
      }),
      workflows: (config.workflows ?? []).map((w) => ({
        binding: w.binding,
        className: w.class_name,
        owner: keyOf(w.script_name, key),
      })),
    };
  }
  return shapes;
}

describe("the local stack and a deployed project", () => {
  it("declare the same bindings, Durable Object classes (SQLite) and Workflows in each Worker", async () => {
    const local = localShapes();
    const deployed = await deployedShapes();
    expect(Object.keys(local).sort()).toEqual([...WORKER_KEYS].sort());
    expect(deployed).toEqual(local);
    // And the shape is not empty: the orchestrator owns the SQLite RunCoordinator, the agent both Workflows.
    expect(local.orchestrator.durableObjects).toContainEqual({
      binding: "COORDINATOR",
      className: "RunCoordinator",
      owner: "orchestrator",
      sqlite: true,
    });
    expect(local.orchestrator.workflows.map((w) => w.owner)).toEqual(["agent", "agent"]);
  });

  it("gives the deployed names of the project to every resource", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bernstein-names-"));
    dirs.push(dir);
    const written = await writeDeployConfigs(dir, { project: "acme", databaseId: "db-id", vars: {} }, bundles);
    const orchestrator = JSON.parse(await readFile(written.orchestrator.config, "utf8")) as WranglerConfig;
    expect(orchestrator.name).toBe("bernstein-acme-orchestrator");
    expect(orchestrator.d1_databases?.[0]).toMatchObject({
      database_name: "bernstein-acme-state",
      database_id: "db-id",
    });
    expect(orchestrator.r2_buckets?.[0]?.bucket_name).toBe("bernstein-acme-artifacts");
    expect(orchestrator.workflows?.map((w) => [w.name, w.script_name])).toEqual([
      ["bernstein-acme-task", "bernstein-acme-agent"],
      ["bernstein-acme-plan", "bernstein-acme-agent"],
    ]);
    expect(orchestrator.secrets?.required).toEqual(["API_TOKEN", "AUDIT_HMAC_KEY"]);
  });

  it("serve the dashboard's files as the orchestrator's assets, and a changed file changes its hash", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bernstein-assets-"));
    dirs.push(dir);
    const dashboard = join(dir, "dashboard");
    await mkdir(join(dashboard, "assets"), { recursive: true });
    await writeFile(join(dashboard, "index.html"), '<div id="root"></div>\n');
    await writeFile(join(dashboard, "assets", "app.js"), "1;\n");
    const withAssets = { ...bundles, assets: dashboard };
    const local = miniflareOptions({ ...LOCAL, bundles: withAssets }).workers?.find(
      (w: { name?: string; assets?: unknown }) => w.name === "orchestrator",
    );
    expect(local?.assets).toMatchObject({
      directory: dashboard,
      binding: "ASSETS",
      routerConfig: { invoke_user_worker_ahead_of_assets: true },
      assetConfig: { not_found_handling: "single-page-application" },
    });
    const first = await writeDeployConfigs(
      join(dir, "out"),
      { project: "acme", databaseId: "id", vars: {} },
      withAssets,
    );
    const config = JSON.parse(await readFile(first.orchestrator.config, "utf8")) as WranglerConfig;
    expect(config.assets).toEqual({
      directory: "assets",
      binding: "ASSETS",
      run_worker_first: true,
      not_found_handling: "single-page-application",
    });
    expect(await readFile(join(dir, "out", "orchestrator", "assets", "assets", "app.js"), "utf8")).toBe("1;\n");
    const agent = JSON.parse(await readFile(first.agent.config, "utf8")) as WranglerConfig;
    expect(agent.assets).toBeUndefined();

    await writeFile(join(dashboard, "assets", "app.js"), "2;\n");
    const second = await writeDeployConfigs(
      join(dir, "out"),
      { project: "acme", databaseId: "id", vars: {} },
      withAssets,
    );
    expect(second.orchestrator.hash).not.toBe(first.orchestrator.hash);
    expect(second.agent.hash).toBe(first.agent.hash);
    // Without the dashboard's files the orchestrator deploys without assets.
    const bare = await writeDeployConfigs(join(dir, "bare"), { project: "acme", databaseId: "id", vars: {} }, bundles);
    expect((JSON.parse(await readFile(bare.orchestrator.config, "utf8")) as WranglerConfig).assets).toBeUndefined();
  });
});
