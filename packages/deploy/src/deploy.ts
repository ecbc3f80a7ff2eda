import { registerRunner } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";
import { MODEL_VARS, projectNames, type StackNames, type WorkerKey } from "@bernstein/stack-spec";
import { resolveAccount } from "./account.js";
import {
  DEPLOY_ORDER,
  type Jurisdiction,
  type WorkerBundles,
  type WrittenWorker,
  writeDeployConfigs,
} from "./deploy-configs.js";
import { claimDatabase } from "./ownership.js";
import { boundResources, type DeployPlan, PLAN_NOTES, type ResourceAction, secretNames } from "./plan.js";
import { deployDir, type ProjectRecord, projectsFilePath, readProjects, updateProject } from "./projects-file.js";
import { createBucket, createDatabase, findDatabase, hasBucket, type Placement } from "./resources.js";
import { changedSecrets, desiredSecrets, fingerprint, generateToken } from "./secrets.js";
import { waitForStack } from "./wait-for-stack.js";
import { subdomainFromOutput, workersDevUrl } from "./workers-dev.js";
import { runWrangler, type WranglerContext } from "./wrangler.js";

export interface DeployOptions {
  project: string;
  /** The built Worker bundles to deploy (what the local stack runs). */
  bundles: WorkerBundles;
  /** Environment: `CLOUDFLARE_API_TOKEN` (or wrangler's login), model keys and settings, `XDG_CONFIG_HOME`. */
  env: Readonly<Record<string, string | undefined>>;
  dryRun?: boolean;
  accountId?: string | undefined;
  locationHint?: string | undefined;
  jurisdiction?: Jurisdiction | undefined;
  /** One line per step, for people. */
  progress?: (line: string) => void;
  /** wrangler's own output (`--debug`). */
  wranglerOutput?: (line: string) => void;
  signal?: AbortSignal | undefined;
}

export interface DeployResult extends DeployPlan {
  dryRun: boolean;
  url?: string | undefined;
  /** What the deploy created, updated and reused, by name. */
  created: string[];
  updated: string[];
  reused: string[];
  /** Secrets whose value was sent (names only). */
  secretsSet: string[];
}

/**
 * `bernstein cloud deploy`: creates or reuses the project's D1 database and R2 bucket, writes
 * both Workers' configs from the stack spec, applies the D1 migrations, uploads each Worker
 * whose bundle or config changed (with its secrets in the same upload), sets secrets that
 * changed on Workers that did not, and records the project in projects.json. Each step is
 * recorded as it finishes, so a failed deploy is finished by running it again.
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const names = projectNames(options.project);
  const progress = options.progress ?? (() => undefined);
  const file = projectsFilePath(options.env);
  const known = (await readProjects(file)).projects[options.project];
  const placement = placementOf(options, known);
  const dir = deployDir(options.env, options.project);
  const vars = modelVars(options.env);

  if (options.dryRun) {
    const written = await writeDeployConfigs(
      dir,
      { project: options.project, databaseId: known?.database.id, jurisdiction: placement.jurisdiction, vars },
      options.bundles,
    );
    const actions = workerActions(written, known);
    return {
      ...planOf(names, options, known?.accountId ?? options.accountId, written, actions, {
        database: known?.database.id ? "reuse" : "create",
        bucket: known ? "reuse" : "create",
      }),
      dryRun: true,
      url: known?.url,
      created: [],
      updated: [],
      reused: [],
      secretsSet: [],
    };
  }

  const context: WranglerContext = {
    env: options.env,
    cwd: dir,
    onOutput: options.wranglerOutput,
    signal: options.signal,
  };
  await writeDeployConfigs(dir, { project: options.project, databaseId: undefined, vars }, options.bundles);
  const accountId = await resolveAccount(context, options.accountId ?? known?.accountId);
  context.accountId = accountId;
  if (known && known.accountId !== accountId) {
    throw new BernsteinError(
      "resource_conflict",
      `project ${options.project} is deployed to account ${known.accountId}`,
      {
        details: {
          fix: `Pass --account-id ${known.accountId}, or destroy it there first (\`bernstein cloud destroy\`).`,
        },
      },
    );
  }
  const created: string[] = [];
  const updated: string[] = [];
  const reused: string[] = [];

  // The generated secrets are recorded before anything remote exists: a re-run uses the same ones.
  let record = (await updateProject(
    file,
    options.project,
    (current) =>
      current ?? {
        name: options.project,
        accountId,
        apiToken: generateToken("bst_api_"),
        auditKey: generateToken(""),
        database: { name: names.database },
        bucket: { name: names.bucket, ...placement },
        workers: {},
      },
  )) as ProjectRecord;

  progress(`Account ${accountId}`);
  const [foundDatabase, bucketExists] = await Promise.all([
    findDatabase(context, names.database),
    hasBucket(context, names.bucket, placement),
  ]);
  let databaseId = foundDatabase;
  const databaseAction: ResourceAction = databaseId ? "reuse" : "create";
  if (databaseId) {
    reused.push(names.database);
  } else {
    progress(`Creating D1 database ${names.database}`);
    databaseId = await createDatabase(context, names.database, placement);
    created.push(names.database);
  }
  // Checked once: a database this machine claimed (same id) stays this project's.
  if (record.database.id !== databaseId) {
    await claimDatabase(context, names.database, options.project);
    record = await save(file, record, (r) => ({ ...r, database: { name: names.database, id: databaseId } }));
  }

  const bucketAction: ResourceAction = bucketExists ? "reuse" : "create";
  if (bucketAction === "reuse") reused.push(names.bucket);
  else {
    progress(`Creating R2 bucket ${names.bucket}`);
    await createBucket(context, names.bucket, placement);
    created.push(names.bucket);
  }

  const written = await writeDeployConfigs(
    dir,
    { project: options.project, databaseId, jurisdiction: placement.jurisdiction, vars },
    options.bundles,
  );
  progress(`Applying D1 migrations to ${names.database}`);
  await runWrangler(context, {
    args: ["d1", "migrations", "apply", names.database, "--remote", "-c", written.orchestrator.config],
    doing: `apply the D1 migrations to ${names.database}`,
  }).catch((error: unknown) => {
    throw migrationFailure(error, names.database);
  });

  const actions = workerActions(written, record);
  const secretsSet = new Set<string>();
  let subdomain: string | undefined;
  for (const key of DEPLOY_ORDER) {
    const worker = written[key];
    const secrets = desiredSecrets(key, record, options.env);
    const known = record.workers[key];
    if (actions[key] === "reuse") {
      reused.push(worker.name);
      const changed = changedSecrets(secrets, record, known?.secrets);
      if (Object.keys(changed).length > 0) {
        progress(`Setting ${Object.keys(changed).join(", ")} on ${worker.name}`);
        await runWrangler(context, {
          args: ["secret", "bulk", "-c", worker.config],
          stdin: JSON.stringify(changed),
          doing: `set the secrets of ${worker.name}`,
        });
        for (const name of Object.keys(changed)) secretsSet.add(name);
      }
    } else {
      progress(`${actions[key] === "create" ? "Deploying" : "Updating"} ${worker.name}`);
      const args = ["deploy", "-c", worker.config];
      const hasSecrets = Object.keys(secrets).length > 0;
      if (hasSecrets) args.push("--secrets-file", "{file}");
      const output = await runWrangler(context, {
        args,
        ...(hasSecrets ? { file: JSON.stringify(secrets) } : {}),
        doing: `deploy ${worker.name}`,
      });
      subdomain ??= subdomainFromOutput(output, worker.name);
      (actions[key] === "create" ? created : updated).push(worker.name);
      for (const name of Object.keys(secrets)) secretsSet.add(name);
    }
    record = await save(file, record, (r) => ({
      ...r,
      workers: {
        ...r.workers,
        [key]: {
          name: worker.name,
          hash: worker.hash,
          secrets: Object.fromEntries(Object.entries(secrets).map(([n, v]) => [n, fingerprint(r, v)])),
        },
      },
    }));
  }

  if (subdomain) {
    const url = workersDevUrl(options.env, names.worker("orchestrator"), subdomain);
    record = await save(file, record, (r) => ({ ...r, url }));
  }
  if (!record.url) {
    throw new BernsteinError("cloud_api", `the URL of ${names.worker("orchestrator")} is not known`, {
      details: { fix: "Remove the project's entry from projects.json and deploy again." },
    });
  }
  if (!record.runnerToken) {
    progress(`Registering the CI runner with ${record.url}`);
    await waitForStack(record.url, options.signal);
    const runner = await registerRunner({ baseUrl: record.url, token: record.apiToken }, { name: "cloud-ci" });
    record = await save(file, record, (r) => ({ ...r, runnerToken: runner.token }));
  }
  record = await save(file, record, (r) => ({ ...r, deployedAt: new Date().toISOString() }));
  return {
    ...planOf(names, options, accountId, written, actions, { database: databaseAction, bucket: bucketAction }),
    dryRun: false,
    url: record.url,
    created,
    updated,
    reused,
    secretsSet: [...secretsSet],
  };
}

function planOf(
  names: StackNames,
  options: DeployOptions,
  accountId: string | undefined,
  written: Record<WorkerKey, WrittenWorker>,
  actions: Record<WorkerKey, ResourceAction>,
  storage: { database: ResourceAction; bucket: ResourceAction },
): DeployPlan {
  const workers = DEPLOY_ORDER.map((key) => ({
    name: written[key].name,
    config: written[key].config,
    action: actions[key],
  }));
  return {
    project: options.project,
    accountId,
    resources: [
      {
        kind: "d1_database",
        name: names.database,
        action: storage.database,
        plan: "free",
        note: PLAN_NOTES.d1_database,
      },
      { kind: "r2_bucket", name: names.bucket, action: storage.bucket, plan: "free", note: PLAN_NOTES.r2_bucket },
      ...workers.map((w) => ({
        kind: "worker" as const,
        name: w.name,
        action: w.action,
        plan: "free" as const,
        note: PLAN_NOTES.worker,
      })),
      ...boundResources(names.worker, names.workflow, actions),
    ],
    workers,
    secrets: secretNames(options.env),
  };
}

/** create (never uploaded), update (its bundle or config changed) or reuse. */
function workerActions(
  written: Record<WorkerKey, WrittenWorker>,
  record: ProjectRecord | undefined,
): Record<WorkerKey, ResourceAction> {
  const action = (key: WorkerKey): ResourceAction => {
    const hash = record?.workers[key]?.hash;
    if (!hash) return "create";
    return hash === written[key].hash ? "reuse" : "update";
  };
  return { orchestrator: action("orchestrator"), agent: action("agent") };
}

function placementOf(options: DeployOptions, known: ProjectRecord | undefined): Placement {
  // Fixed at creation: once the project is recorded, only its own jurisdiction (or none) is accepted.
  if (known && options.jurisdiction && options.jurisdiction !== known.bucket.jurisdiction) {
    const now = known.bucket.jurisdiction ? `in jurisdiction ${known.bucket.jurisdiction}` : "outside any jurisdiction";
    throw new BernsteinError("resource_conflict", `project ${options.project} keeps its data ${now}`, {
      details: {
        fix: `A jurisdiction cannot change after the first deploy: deploy a new project (--project ${options.project}-${options.jurisdiction}), or \`bernstein cloud destroy --project ${options.project} --delete-data\` first.`,
      },
    });
  }
  const jurisdiction = options.jurisdiction ?? known?.bucket.jurisdiction;
  const locationHint = options.locationHint ?? known?.bucket.locationHint;
  return { ...(jurisdiction ? { jurisdiction } : {}), ...(locationHint ? { locationHint } : {}) };
}

/** The model settings (not secrets) found in the environment: plain vars of both Workers. */
function modelVars(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of MODEL_VARS) {
    const value = env[name];
    if (value) vars[name] = value;
  }
  return vars;
}

async function save(
  file: string,
  record: ProjectRecord,
  change: (record: ProjectRecord) => ProjectRecord,
): Promise<ProjectRecord> {
  return (await updateProject(file, record.name, (current) => change(current ?? record))) as ProjectRecord;
}

function migrationFailure(error: unknown, database: string): unknown {
  if (!(error instanceof BernsteinError) || error.code !== "cloud_api") return error;
  return new BernsteinError("migration_failed", error.message.replace(/^wrangler could not /, "could not "), {
    cause: error,
    details: {
      fix: `Nothing after the failing migration was applied. Fix the database (\`wrangler d1 execute ${database} --remote ...\`) or the migration, then deploy again: it resumes there.`,
    },
  });
}
