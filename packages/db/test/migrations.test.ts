import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { applyMigrations, createDb, getJob, MIGRATIONS, MIGRATIONS_TABLE, schema } from "../src/index.js";

const SHA = "a".repeat(64);

/** Wrangler drops comments and the trailing `;`; drizzle's breakpoints keep both. */
const normalise = (query: string) => query.replace(/;\s*$/, "").trim();

async function schemaOf(d1: D1Database): Promise<unknown[]> {
  const { results } = await d1
    .prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all();
  return results;
}

describe("MIGRATIONS", () => {
  it("carries the same SQL as the pool's readD1Migrations of ./drizzle", () => {
    const ours = MIGRATIONS.map((m) => ({ name: m.name, queries: m.queries.map(normalise) }));
    const wrangler = env.TEST_MIGRATIONS.map((m) => ({ name: m.name, queries: m.queries.map(normalise) }));
    expect(ours).toEqual(wrangler);
    expect(ours.length).toBeGreaterThan(0);
  });
});

describe("applyMigrations", () => {
  it("applies everything once, then nothing", async () => {
    expect(await applyMigrations(env.SCRATCH_DB)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await applyMigrations(env.SCRATCH_DB)).toEqual([]);
    const { results } = await env.SCRATCH_DB.prepare(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`).all();
    expect(results).toEqual(MIGRATIONS.map((m) => ({ name: m.name })));
  });

  it("records them in a table shaped like wrangler's d1_migrations", async () => {
    await applyMigrations(env.SCRATCH_DB);
    const { results } = await env.SCRATCH_DB.prepare(`PRAGMA table_info(${MIGRATIONS_TABLE})`).all();
    expect(results.map((c) => [c.name, c.type, c.notnull, c.pk])).toEqual([
      ["id", "INTEGER", 0, 1],
      ["name", "TEXT", 0, 0],
      ["applied_at", "TIMESTAMP", 1, 0],
    ]);
  });

  it("sees migrations applied by wrangler's own path as applied, and builds the same schema", async () => {
    await applyD1Migrations(env.WRANGLER_DB, env.TEST_MIGRATIONS);
    expect(await applyMigrations(env.WRANGLER_DB)).toEqual([]);
    await applyMigrations(env.SCRATCH_DB);
    const ours = (await schemaOf(env.SCRATCH_DB)).filter((o) => (o as { name: string }).name !== MIGRATIONS_TABLE);
    const wranglers = (await schemaOf(env.WRANGLER_DB)).filter(
      (o) => (o as { name: string }).name !== MIGRATIONS_TABLE,
    );
    expect(ours).toEqual(wranglers);
  });

  it("applies only the migrations not yet recorded, in order", async () => {
    const extra = [
      { name: "9998_a.sql", queries: ["CREATE TABLE probe_a (x INTEGER);"] },
      { name: "9999_b.sql", queries: ["CREATE TABLE probe_b (x INTEGER);", "INSERT INTO probe_b VALUES (1);"] },
    ];
    await applyMigrations(env.SCRATCH_DB);
    expect(await applyMigrations(env.SCRATCH_DB, [...MIGRATIONS, ...extra])).toEqual(["9998_a.sql", "9999_b.sql"]);
    expect(await env.SCRATCH_DB.prepare("SELECT x FROM probe_b").first("x")).toBe(1);
  });

  it("keeps queued jobs through 0002 (jobs become candidates; baselines have no task)", async () => {
    const upTo = (name: string) => MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === name) + 1);
    await applyMigrations(env.UPGRADE_DB, upTo("0001_jobs.sql"));
    const now = "2030-01-01T00:00:00.000Z";
    await env.UPGRADE_DB.batch([
      env.UPGRADE_DB.prepare(
        `INSERT INTO runs (id, goal, status, model, planner_model, max_agents, max_retries, spent_usd, base_snapshot,
          verify_commands, approve_all, integration_seq, integration_manifest, created_at, updated_at)
         VALUES ('r_000000000001', 'g', 'running', 'm', 'm', 1, 0, 0, ?1, '["npm test"]', 0, 0, ?1, ?2, ?2)`,
      ).bind(SHA, now),
      env.UPGRADE_DB.prepare(
        `INSERT INTO tasks (id, run_id, plan_id, title, description, role, priority, "order", status, owned_files,
          completion_signals, approval_required, created_at, updated_at)
         VALUES ('t_000000000001', 'r_000000000001', 't1', 'x', 'x', 'r', 1, 0, 'verifying', '[]', '[]', 0, ?1, ?1)`,
      ).bind(now),
      env.UPGRADE_DB.prepare(
        `INSERT INTO jobs (id, run_id, task_id, attempt_id, attempt, status, manifest, commands, timeout_seconds,
          lease_seconds, labels, log_key, created_at, updated_at)
         VALUES ('j_1', 'r_000000000001', 't_000000000001', 'a', 1, 'queued', ?1, '["npm test"]', 600, 30, '[]', 'k', ?2, ?2)`,
      ).bind(SHA, now),
    ]);
    await applyMigrations(env.UPGRADE_DB);
    const job = await getJob(createDb(env.UPGRADE_DB), "j_1");
    expect(job).toMatchObject({
      kind: "candidate",
      taskId: "t_000000000001",
      status: "queued",
      commands: ["npm test"],
    });
    expect(job?.verify).toEqual({ setup: [], setupInputs: null, reports: [], signals: [], workspace: "default" });
    const run = await env.UPGRADE_DB.prepare("SELECT verify_setup, verification FROM runs").first();
    expect(run).toEqual({ verify_setup: "[]", verification: null });
  });

  it("leaves no trace of a migration that fails", async () => {
    await applyMigrations(env.SCRATCH_DB);
    const broken = [{ name: "9990_broken.sql", queries: ["CREATE TABLE probe_c (x INTEGER);", "NOT SQL"] }];
    await expect(applyMigrations(env.SCRATCH_DB, broken)).rejects.toThrow();
    const table = await env.SCRATCH_DB.prepare("SELECT name FROM sqlite_master WHERE name = 'probe_c'").first();
    const record = await env.SCRATCH_DB.prepare(`SELECT name FROM ${MIGRATIONS_TABLE} WHERE name = ?`)
      .bind("9990_broken.sql")
      .first();
    expect([table, record]).toEqual([null, null]);
  });
});

describe("the migrated database", () => {
  const tables = Object.values(schema as Record<string, unknown>).filter((value) => is(value, SQLiteTable));

  it("has every table and column of schema.ts, snake_case", async () => {
    expect(tables.map((t) => getTableConfig(t).name).sort()).toEqual([
      "artifacts",
      "attempts",
      "audit_events",
      "batch_guard",
      "cost_events",
      "events",
      "jobs",
      "runners",
      "runs",
      "schedules",
      "tasks",
    ]);
    for (const table of tables) {
      const config = getTableConfig(table);
      const { results } = await env.STATE_DB.prepare(`PRAGMA table_info(${config.name})`).all<{ name: string }>();
      expect(results.map((c) => c.name).sort()).toEqual(config.columns.map((c) => c.name).sort());
      for (const column of results) expect(column.name).toMatch(/^[a-z0-9_]+$/);
    }
  });

  it("has the indexes the orchestrator and monitor query by", async () => {
    const { results } = await env.STATE_DB.prepare(
      "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ).all<{ tbl_name: string; name: string }>();
    const columnsOf = async (index: string) =>
      (await env.STATE_DB.prepare(`PRAGMA index_info(${index})`).all<{ name: string }>()).results.map((c) => c.name);
    const indexes = await Promise.all(results.map(async (r) => [r.tbl_name, ...(await columnsOf(r.name))].join(":")));
    expect(indexes).toEqual(
      expect.arrayContaining([
        "tasks:run_id:status",
        "tasks:run_id:order",
        "attempts:task_id:n",
        "attempts:run_id",
        "cost_events:run_id",
        "artifacts:run_id:task_id",
        "runs:created_at",
        "runs:idempotency_key",
      ]),
    );
  });
});
