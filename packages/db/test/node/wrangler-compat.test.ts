/// <reference types="node" />
// Runs in Node, not workerd: it drives the real wrangler CLI against the local D1 state that
// our applyMigrations wrote (through wrangler's getPlatformProxy), and the other way round.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getPlatformProxy } from "wrangler";
import { applyMigrations, MIGRATIONS } from "../../src/index.js";

const packageDir = join(import.meta.dirname, "..", "..");
const wranglerBin = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin",
  "wrangler.js",
);
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bernstein-db-"));
  dirs.push(dir);
  return dir;
}

/** `wrangler d1 migrations <verb> STATE_DB --local --persist-to <dir>`, offline. */
function wrangler(verb: "list" | "apply", persistTo: string): string {
  return execFileSync(
    process.execPath,
    [
      wranglerBin,
      "d1",
      "migrations",
      verb,
      "STATE_DB",
      "--local",
      "--persist-to",
      persistTo,
      "-c",
      "test/wrangler.jsonc",
    ],
    {
      cwd: packageDir,
      encoding: "utf8",
      env: {
        ...process.env,
        CI: "true",
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_HIDE_BANNER: "true",
        XDG_CONFIG_HOME: join(persistTo, "config"),
      },
    },
  );
}

/** Runs `fn` on the STATE_DB that `wrangler --persist-to <dir>` uses (it appends `v3`). */
async function withLocalD1<T>(persistTo: string, fn: (d1: D1Database) => Promise<T>): Promise<T> {
  const proxy = await getPlatformProxy<{ STATE_DB: D1Database }>({
    configPath: join(packageDir, "test", "wrangler.jsonc"),
    persist: { path: join(persistTo, "v3") },
  });
  try {
    return await fn(proxy.env.STATE_DB);
  } finally {
    await proxy.dispose();
  }
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("applyMigrations and wrangler d1 migrations", () => {
  it("wrangler sees migrations applied by applyMigrations as applied", async () => {
    const state = tempDir();
    expect(await withLocalD1(state, (d1) => applyMigrations(d1))).toEqual(MIGRATIONS.map((m) => m.name));
    expect(wrangler("list", state)).toContain("No migrations to apply");
  });

  it("applyMigrations sees migrations applied by wrangler as applied", async () => {
    const state = tempDir();
    expect(wrangler("apply", state)).toContain(MIGRATIONS[0]?.name);
    expect(await withLocalD1(state, (d1) => applyMigrations(d1))).toEqual([]);
  });
});
