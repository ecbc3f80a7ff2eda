import { randomBytes } from "node:crypto";
import type { BernsteinClient } from "@bernstein/client";
import type { CommandPolicy, Plan, RunView } from "@bernstein/core";
import { runGit } from "../git/exec.js";
import { takeSnapshot } from "../git/snapshot.js";
import { uploadSnapshot } from "../git/upload.js";
import type { Output } from "../output/output.js";
import type { StatePaths } from "../stack/paths.js";

export interface StartRunOptions {
  root: string;
  paths: StatePaths;
  out: Output;
  goal: string;
  dirty: boolean;
  plan?: Plan | undefined;
  model?: string | undefined;
  budgetUsd?: number | undefined;
  maxAgents?: number | undefined;
  verifyCommands?: readonly string[];
  /** `verify.setup`, `verify.setupInputs` and `verify.reports` of bernstein.json. */
  verifySetup?: readonly string[];
  verifySetupInputs?: readonly string[] | undefined;
  verifyReports?: readonly string[];
  approveAll?: boolean;
  /** What the agents' `run_command` may run (`agent.commands`, `--no-commands`). */
  commands?: CommandPolicy;
}

/** Snapshots the repo, uploads what the stack lacks, and creates the run. */
export async function startRun(client: BernsteinClient, options: StartRunOptions): Promise<RunView> {
  const { out, root } = options;
  const spinner = out.spinner("Snapshotting the repository…");
  const snapshot = await takeSnapshot(root, { dirty: options.dirty, cacheDir: options.paths.cacheDir }).finally(() =>
    spinner.stop(),
  );
  if (!options.dirty) {
    const changes = await uncommittedCount(root);
    if (changes > 0) {
      out.note(
        `note: ${changes} uncommitted change${changes === 1 ? " is" : "s are"} not included (commit them or pass --dirty).`,
      );
    }
  }
  if (snapshot.skippedSubmodules.length > 0) {
    out.note(`note: submodules are not part of the snapshot: ${snapshot.skippedSubmodules.join(", ")}`);
  }
  const files = Object.keys(snapshot.manifest).length;
  const upload = out.spinner(`Uploading ${files} files…`);
  const uploaded = await uploadSnapshot(client, root, snapshot, {
    onProgress: (done, total) => upload.update(`Uploading new contents: ${done}/${total} blobs…`),
  }).finally(() => upload.stop());
  out.note(
    `Snapshot ${uploaded.sha256.slice(0, 12)}: ${uploaded.files} file${uploaded.files === 1 ? "" : "s"}, ${uploaded.uploadedBlobs} new blob${uploaded.uploadedBlobs === 1 ? "" : "s"} uploaded${options.dirty ? ` (${snapshot.dirtyPaths.length} uncommitted)` : ""}.`,
  );
  return client.createRun({
    goal: options.goal,
    baseSnapshot: uploaded.sha256,
    baseCommit: snapshot.baseCommit,
    ...(options.plan ? { plan: options.plan } : {}),
    ...(options.model ? { model: options.model } : {}),
    budgetUsd: options.budgetUsd ?? null,
    ...(options.maxAgents ? { maxAgents: options.maxAgents } : {}),
    verifyCommands: [...(options.verifyCommands ?? [])],
    verifySetup: [...(options.verifySetup ?? [])],
    verifySetupInputs: options.verifySetupInputs ? [...options.verifySetupInputs] : null,
    verifyReports: [...(options.verifyReports ?? [])],
    repository: await repositoryKey(root),
    approveAll: options.approveAll ?? false,
    ...(options.commands ? { commands: options.commands } : {}),
    // A retried POST (after a dropped connection) must not start a second run.
    idempotencyKey: `cli-${randomBytes(12).toString("hex")}`,
  });
}

/**
 * A stable name of the repository for runners' warm workspaces: its first root commit, the
 * same in every clone (null before the first commit).
 */
async function repositoryKey(root: string): Promise<string | null> {
  const { stdout, code } = await runGit(["rev-list", "--max-parents=0", "HEAD"], { cwd: root, okCodes: [128] });
  const roots = stdout.toString("utf8").split("\n").filter(Boolean).sort();
  return code === 0 && roots[0] ? `git:${roots[0]}` : null;
}

async function uncommittedCount(root: string): Promise<number> {
  const { stdout } = await runGit(["status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: root });
  return stdout
    .toString("utf8")
    .split("\0")
    .filter((record) => /^.. /.test(record)).length;
}
