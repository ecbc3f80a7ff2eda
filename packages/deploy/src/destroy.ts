import { rm } from "node:fs/promises";
import { BernsteinError } from "@bernstein/core";
import { projectNames, STACK, WORKER_KEYS } from "@bernstein/stack-spec";
import { createCloudflareApi, emptyBucket } from "./cloudflare-api.js";
import { DEPLOY_ORDER } from "./deploy-configs.js";
import { deployDir, projectsFilePath, readProjects, requireProject, updateProject } from "./projects-file.js";
import { findDatabase, hasBucket } from "./resources.js";
import { runWrangler, type WranglerContext } from "./wrangler.js";

export interface DestroyOptions {
  project: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Also delete the D1 database and the R2 bucket (and every object in it). */
  deleteData?: boolean;
  progress?: (line: string) => void;
  wranglerOutput?: (line: string) => void;
  signal?: AbortSignal | undefined;
}

export interface DestroyResult {
  project: string;
  deleted: string[];
  /** What stays on the account (the data, without --delete-data). */
  kept: string[];
}

/**
 * `bernstein cloud destroy`: deletes both Workers and their Workflows, with `deleteData` the
 * D1 database and the emptied R2 bucket too, then forgets the project. What is already gone
 * is skipped, so a destroy that failed half-way is finished by running it again.
 */
export async function destroy(options: DestroyOptions): Promise<DestroyResult> {
  const file = projectsFilePath(options.env);
  const record = requireProject(await readProjects(file), options.project, file);
  const names = projectNames(options.project);
  const progress = options.progress ?? (() => undefined);
  const dir = deployDir(options.env, options.project);
  const context: WranglerContext = {
    env: options.env,
    cwd: process.cwd(),
    accountId: record.accountId,
    onOutput: options.wranglerOutput,
    signal: options.signal,
  };
  const deleted: string[] = [];
  const kept: string[] = [];
  // Workers that bind the Durable Object go first, then its owner.
  for (const key of [...DEPLOY_ORDER].reverse()) {
    const name = names.worker(key);
    progress(`Deleting Worker ${name}`);
    if (
      await ignoreMissing(
        runWrangler(context, { args: ["delete", "--name", name, "--force"], doing: `delete Worker ${name}` }),
      )
    ) {
      deleted.push(name);
    }
  }
  for (const key of WORKER_KEYS) {
    for (const workflow of STACK.workers[key].workflows.filter((w) => w.owner === key)) {
      const name = names.workflow(workflow.name);
      const gone = runWrangler(context, { args: ["workflows", "delete", name], doing: `delete Workflow ${name}` });
      if (await ignoreMissing(gone)) deleted.push(name);
    }
  }
  const placement = { jurisdiction: record.bucket.jurisdiction };
  if (options.deleteData) {
    if (await hasBucket(context, names.bucket, placement)) {
      progress(`Emptying and deleting R2 bucket ${names.bucket}`);
      await emptyBucket(await createCloudflareApi(context, placement.jurisdiction), names.bucket);
      const args = ["r2", "bucket", "delete", names.bucket];
      if (placement.jurisdiction) args.push("--jurisdiction", placement.jurisdiction);
      await runWrangler(context, { args, doing: `delete R2 bucket ${names.bucket}` });
      deleted.push(names.bucket);
    }
    if (await findDatabase(context, names.database)) {
      progress(`Deleting D1 database ${names.database}`);
      await runWrangler(context, {
        args: ["d1", "delete", names.database, "-y"],
        doing: `delete D1 database ${names.database}`,
      });
      deleted.push(names.database);
    }
  } else {
    kept.push(names.database, names.bucket);
  }
  await updateProject(file, options.project, () => undefined);
  await rm(dir, { recursive: true, force: true });
  return { project: record.name, deleted, kept };
}

/** True when the call succeeded, false when the thing was already gone. */
async function ignoreMissing(call: Promise<string>): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (error) {
    if (
      error instanceof BernsteinError &&
      /\[code: (10007|10090|10200)\]|does not exist|not found/i.test(error.message)
    ) {
      return false;
    }
    throw error;
  }
}
