import type { StackNames } from "./names.js";
import { STACK, type WorkerKey, type WorkerSpec } from "./stack.js";

/** The subset of wrangler's configuration file this stack uses. */
export interface WranglerConfig {
  $schema?: string;
  name: string;
  main: string;
  compatibility_date: string;
  compatibility_flags: string[];
  no_bundle?: boolean;
  upload_source_maps?: boolean;
  workers_dev?: boolean;
  d1_databases?: { binding: string; database_name: string; database_id: string; migrations_dir: string }[];
  r2_buckets?: { binding: string; bucket_name: string; jurisdiction?: string }[];
  durable_objects?: { bindings: { name: string; class_name: string; script_name?: string }[] };
  migrations?: { tag: string; new_sqlite_classes?: string[]; renamed_classes?: { from: string; to: string }[] }[];
  workflows?: { binding: string; name: string; class_name: string; script_name?: string }[];
  vars?: Record<string, string>;
  secrets?: { required: string[] };
  assets?: {
    directory: string;
    binding: string;
    run_worker_first?: boolean;
    not_found_handling?: "single-page-application" | "404-page" | "none";
  };
}

export interface WranglerConfigOptions {
  names: StackNames;
  /** The entry module, as the config should name it (relative to the config file). */
  main: string;
  /** The D1 database's id (the all-zero id in the checked-in configs, which never deploy). */
  databaseId: string;
  /** The D1 migrations directory, relative to the config file. */
  migrationsDir: string;
  /** Upload `main` as it is (a built bundle) instead of bundling it again. */
  noBundle?: boolean;
  /** The R2 bucket's jurisdiction, when it has one (`eu`, `fedramp`). */
  jurisdiction?: string | undefined;
  /** Plain-text vars. */
  vars?: Record<string, string>;
  /** `$schema`, relative to the config file. */
  schema?: string;
  /** The assets directory, relative to the config file (when the Worker serves assets). */
  assetsDirectory?: string;
}

/** All-zero D1 id of the checked-in configs: they build and type, they never deploy. */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-0000-0000-000000000000";

/** The wrangler config of one Worker of the stack, with the names of a target (local or a project). */
export function wranglerConfig(key: WorkerKey, options: WranglerConfigOptions): WranglerConfig {
  const spec: WorkerSpec = STACK.workers[key];
  const { names } = options;
  const other = (owner: WorkerKey) => (owner === key ? {} : { script_name: names.worker(owner) });
  const config: WranglerConfig = {
    ...(options.schema ? { $schema: options.schema } : {}),
    name: names.worker(key),
    main: options.main,
    compatibility_date: STACK.compatibilityDate,
    compatibility_flags: [...STACK.compatibilityFlags],
    ...(options.noBundle ? { no_bundle: true } : {}),
  };
  if (names.project) config.workers_dev = true;
  if (spec.database) {
    config.d1_databases = [
      {
        binding: STACK.database.binding,
        database_name: names.database,
        database_id: options.databaseId,
        migrations_dir: options.migrationsDir,
      },
    ];
  }
  if (spec.bucket) {
    const jurisdiction = options.jurisdiction ? { jurisdiction: options.jurisdiction } : {};
    config.r2_buckets = [{ binding: STACK.bucket.binding, bucket_name: names.bucket, ...jurisdiction }];
  }
  if (spec.durableObjects.length > 0) {
    config.durable_objects = {
      bindings: spec.durableObjects.map((d) => ({ name: d.binding, class_name: d.className, ...other(d.owner) })),
    };
  }
  if (spec.migrations.length > 0) config.migrations = spec.migrations.map((m) => ({ ...m }));
  if (spec.workflows.length > 0) {
    config.workflows = spec.workflows.map((w) => ({
      binding: w.binding,
      name: names.workflow(w.name),
      class_name: w.className,
      ...other(w.owner),
    }));
  }
  if (options.vars && Object.keys(options.vars).length > 0) config.vars = { ...options.vars };
  if (spec.requiredSecrets.length > 0) config.secrets = { required: [...spec.requiredSecrets] };
  if (spec.assets) {
    config.assets = {
      directory: options.assetsDirectory ?? spec.assets.directory,
      binding: spec.assets.binding,
      run_worker_first: spec.assets.runWorkerFirst,
      not_found_handling: spec.assets.notFoundHandling,
    };
  }
  return config;
}

/** A config as wrangler.jsonc text: a header comment, then the JSON. */
export function renderJsonc(config: WranglerConfig, header: readonly string[]): string {
  const comments = header.map((line) => `// ${line}\n`).join("");
  return `${comments}${JSON.stringify(config, null, 2)}\n`;
}
