import { createHash } from "node:crypto";
import { copyFile, cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { MIGRATIONS } from "@bernstein/db/migrate";
import {
  PLACEHOLDER_DATABASE_ID,
  projectNames,
  STACK,
  WORKER_KEYS,
  type WorkerKey,
  type WranglerConfig,
  wranglerConfig,
} from "@bernstein/stack-spec";

/**
 * Paths of the two built Worker bundles (`wrangler deploy --dry-run --outdir` output), and the
 * dashboard's built files, the static assets of the Worker whose spec declares some.
 */
export type WorkerBundles = Record<WorkerKey, string> & { assets?: string | undefined };

/** Where a Worker's assets are copied, beside its config (wrangler uploads them from there). */
const ASSETS_DIR = "assets";

export type Jurisdiction = "eu" | "fedramp";

export interface DeployTarget {
  project: string;
  /** The D1 database's id; undefined before it exists (a dry run of a new project). */
  databaseId: string | undefined;
  jurisdiction?: Jurisdiction | undefined;
  /** Plain vars of both Workers (the model settings found in the environment). */
  vars: Record<string, string>;
}

export interface WrittenWorker {
  key: WorkerKey;
  /** The Worker's name on Cloudflare. */
  name: string;
  /** Path of its generated wrangler config. */
  config: string;
  /** SHA-256 of the config and the bundle: the Worker is uploaded only when this changes. */
  hash: string;
}

/**
 * Writes a self-contained deploy directory: per Worker its wrangler config (from
 * `@bernstein/stack-spec`, the source of the local stack's bindings too) next to a copy of its
 * bundle, and the D1 migrations as the files `wrangler d1 migrations apply` reads.
 */
export async function writeDeployConfigs(
  dir: string,
  target: DeployTarget,
  bundles: WorkerBundles,
): Promise<Record<WorkerKey, WrittenWorker>> {
  const names = projectNames(target.project);
  const migrationsDir = join(dir, "migrations");
  await rm(migrationsDir, { recursive: true, force: true });
  await mkdir(migrationsDir, { recursive: true });
  for (const migration of MIGRATIONS) {
    await writeFile(join(migrationsDir, migration.name), `${migration.queries.join("\n--> statement-breakpoint\n")}\n`);
  }
  const written = {} as Record<WorkerKey, WrittenWorker>;
  for (const key of WORKER_KEYS) {
    const workerDir = join(dir, key);
    await mkdir(workerDir, { recursive: true });
    // The name wrangler's build gave the bundle: its sourceMappingURL comment says `index.js.map`.
    const main = "index.js";
    const bundle = await readFile(bundles[key]);
    await writeFile(join(workerDir, main), bundle);
    await copyFile(`${bundles[key]}.map`, join(workerDir, `${main}.map`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // a bundle without a source map deploys without one
    });
    const assets =
      STACK.workers[key].assets && bundles.assets ? await copyAssets(bundles.assets, workerDir) : undefined;
    const config: WranglerConfig = {
      ...wranglerConfig(key, {
        names,
        main,
        noBundle: true,
        databaseId: target.databaseId ?? PLACEHOLDER_DATABASE_ID,
        migrationsDir: "../migrations",
        jurisdiction: target.jurisdiction,
        vars: target.vars,
        assetsDirectory: ASSETS_DIR,
      }),
      upload_source_maps: true,
    };
    // Without the dashboard's files the Worker deploys without them (it answers its API only).
    if (!assets) delete config.assets;
    const text = `${JSON.stringify(config, null, 2)}\n`;
    const path = join(workerDir, "wrangler.json");
    await writeFile(path, text);
    const hash = createHash("sha256").update(text).update("\0").update(bundle);
    for (const file of assets ?? []) hash.update("\0").update(file.path).update("\0").update(file.content);
    written[key] = { key, name: names.worker(key), config: path, hash: hash.digest("hex") };
  }
  return written;
}

/** Copies the assets beside the Worker's config; returns their files (path order) for the hash. */
async function copyAssets(from: string, workerDir: string): Promise<{ path: string; content: Buffer }[]> {
  const to = join(workerDir, ASSETS_DIR);
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true });
  const entries = await readdir(to, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => relative(to, join(e.parentPath, e.name)));
  files.sort();
  return Promise.all(files.map(async (path) => ({ path, content: await readFile(join(to, path)) })));
}

/** The Workers, in the order they deploy: the Durable Object's owner before the Workers that bind it. */
export const DEPLOY_ORDER: readonly WorkerKey[] = [...WORKER_KEYS].sort(
  (a, b) => ownsDurableObjects(b) - ownsDurableObjects(a),
);

function ownsDurableObjects(key: WorkerKey): number {
  return STACK.workers[key].migrations.length > 0 ? 1 : 0;
}
