import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BernsteinError, type Manifest, type RunResult } from "@bernstein/core";
import { gitText, runGit } from "./exec.js";
import type { BlobHashCache } from "./hash-cache.js";
import { type BlobSource, createObjectWriter } from "./object-writer.js";

/** What `pull` needs from a stack (a BernsteinClient, or maps in tests). */
export interface PullApi extends BlobSource {
  getResult(runId: string): Promise<RunResult>;
  getSnapshot(sha256: string): Promise<{ sha256: string; manifest: Manifest }>;
}

export interface PullOptions {
  root: string;
  runId: string;
  /** Default `bernstein/<run-id>`. */
  branch?: string | undefined;
  /** Move the branch if it exists (never the checked-out one). */
  force?: boolean | undefined;
  cache?: BlobHashCache | undefined;
}

export interface PulledCommit {
  sha: string;
  title: string;
  taskId: string | null;
}

export interface PullResult {
  branch: string;
  head: string;
  /** The commits written, oldest first (the uncommitted-changes commit has no task). */
  commits: PulledCommit[];
  /** True when the run started from uncommitted changes (a `--dirty` run). */
  dirtyBase: boolean;
  blobsDownloaded: number;
  status: RunResult["status"];
  /** The branch already held exactly this result: nothing was written. */
  upToDate: boolean;
}

interface PlannedCommit {
  tree: string;
  message: string;
  title: string;
  taskId: string | null;
}

const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: "Bernstein",
  GIT_AUTHOR_EMAIL: "bernstein@localhost",
  GIT_COMMITTER_NAME: "Bernstein",
  GIT_COMMITTER_EMAIL: "bernstein@localhost",
};

/**
 * Writes a run's integration result into the repo as a branch, one commit per merged task
 * (message: title, blank line, summary), preceded by a commit of the uncommitted changes when
 * the run's base snapshot differs from its base commit's tree. Plumbing only: the working tree,
 * the index and the current branch stay as they are.
 */
export async function pullRun(api: PullApi, options: PullOptions): Promise<PullResult> {
  const { root, runId } = options;
  const branch = await checkBranchName(root, options.branch ?? `bernstein/${runId}`);
  const ref = `refs/heads/${branch}`;
  const existing = await refValue(root, ref);
  await refuseCheckedOut(root, ref, branch);

  const result = await api.getResult(runId);
  if (result.baseCommit !== null && !(await hasCommit(root, result.baseCommit))) {
    throw new BernsteinError("git_error", `the run's base commit ${result.baseCommit} is not in this repository`, {
      details: { fix: "Pull in the repository the run was started from, or fetch that commit first." },
    });
  }
  const base = await api.getSnapshot(result.baseSnapshot);
  const merges = [...result.merges].sort((a, b) => a.seq - b.seq);
  const manifests = [base.manifest];
  for (const merge of merges) manifests.push((await api.getSnapshot(merge.manifest)).manifest);

  const scratchDir = await mkdtemp(join(tmpdir(), "bernstein-pull-"));
  try {
    const writer = createObjectWriter({
      root,
      scratchDir,
      blobs: api,
      cache: options.cache,
      commitEnv: await identityEnv(root),
    });
    const { downloaded } = await writer.ensureBlobs(manifests);
    const planned: PlannedCommit[] = [];
    const writeTree = async (manifest: Manifest) => {
      const tree = await writer.writeTree(manifest);
      await requireWhole(root, tree, manifest, runId);
      return tree;
    };
    const baseTree = await writeTree(base.manifest);
    const committedTree = result.baseCommit
      ? await gitText(["rev-parse", `${result.baseCommit}^{tree}`], { cwd: root })
      : null;
    const dirtyBase =
      baseTree !== committedTree && !(result.baseCommit === null && Object.keys(base.manifest).length === 0);
    if (dirtyBase) {
      const title = `Uncommitted changes at the start of ${runId}`;
      const body = "The working-tree changes that `bernstein run --dirty` included in the run's base snapshot.";
      planned.push({ tree: baseTree, message: `${title}\n\n${body}\n`, title, taskId: null });
    }
    for (const [i, merge] of merges.entries()) {
      const tree = await writeTree(manifests[i + 1] as Manifest);
      const summary = merge.summary?.trim();
      const message = summary ? `${merge.title}\n\n${summary}\n` : `${merge.title}\n`;
      planned.push({ tree, message, title: merge.title, taskId: merge.taskId });
    }
    if (result.baseCommit === null && planned.length === 0) {
      throw new BernsteinError("not_found", `run ${runId} has nothing to pull yet (no base commit and no merges)`);
    }
    if (existing && !options.force) {
      // A branch that already holds exactly this result: pulling again changes nothing.
      const same = await sameCommits(root, existing, result.baseCommit, planned);
      if (same) {
        const out = { branch, head: existing, commits: same, dirtyBase, blobsDownloaded: downloaded };
        return { ...out, status: result.status, upToDate: true };
      }
      throw new BernsteinError("conflict", `branch ${branch} already exists (at ${existing.slice(0, 12)})`, {
        details: { branch, fix: "Pass --force to move it to this result, or --branch NAME to write another branch." },
      });
    }
    const commits: PulledCommit[] = [];
    let parent = result.baseCommit;
    for (const commit of planned) {
      parent = await writer.commit(commit.tree, parent, commit.message);
      commits.push({ sha: parent, title: commit.title, taskId: commit.taskId });
    }
    if (parent === null) throw new BernsteinError("internal", `run ${runId}: no commit to point the branch at`);
    // The old value makes the update atomic: a branch created meanwhile is not overwritten.
    await runGit(["update-ref", "-m", `bernstein pull ${runId}`, ref, parent, existing ?? ""], { cwd: root });
    await options.cache?.save();
    return {
      branch,
      head: parent,
      commits,
      dirtyBase,
      blobsDownloaded: downloaded,
      status: result.status,
      upToDate: false,
    };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/**
 * The commits of `head` when its newest ones are exactly `planned` (same trees and messages, in
 * order) on top of `baseCommit`; undefined otherwise.
 */
async function sameCommits(
  root: string,
  head: string,
  baseCommit: string | null,
  planned: readonly PlannedCommit[],
): Promise<PulledCommit[] | undefined> {
  if (planned.length === 0) return head === baseCommit ? [] : undefined;
  const log = await gitText(
    ["log", "--first-parent", `--max-count=${planned.length}`, "--format=%H%x1f%T%x1f%P%x1f%B%x1e", head],
    { cwd: root },
  );
  const found = log
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record !== "")
    .map((record) => {
      const [sha = "", tree = "", parents = "", message = ""] = record.split("\x1f");
      return { sha, tree, parents: parents.split(" ").filter(Boolean), message };
    })
    .reverse();
  if (found.length !== planned.length) return undefined;
  const oldestParent = found[0]?.parents[0] ?? null;
  if (oldestParent !== baseCommit) return undefined;
  for (const [i, commit] of planned.entries()) {
    const actual = found[i];
    if (actual?.tree !== commit.tree || actual.message.trim() !== commit.message.trim()) return undefined;
  }
  return found.map((commit, i) => ({
    sha: commit.sha,
    title: planned[i]?.title ?? "",
    taskId: planned[i]?.taskId ?? null,
  }));
}

/**
 * `pull` never drops a file: git refuses some paths silently when it builds a tree (a `.git`
 * component, for one), so the tree written is compared with the manifest, and a difference
 * refuses the run's result, naming the path. Nothing is written to any branch then.
 */
async function requireWhole(root: string, tree: string, manifest: Manifest, runId: string): Promise<void> {
  const { stdout } = await runGit(["ls-tree", "-r", "-z", "--name-only", tree], { cwd: root });
  const written = new Set(stdout.toString("utf8").split("\0").filter(Boolean));
  const lost = Object.keys(manifest)
    .filter((path) => !written.has(path))
    .sort();
  if (lost.length === 0 && written.size === Object.keys(manifest).length) return;
  const first = lost[0] ?? [...written].find((path) => !(path in manifest)) ?? "?";
  throw new BernsteinError(
    "git_error",
    `the result of ${runId} cannot be written as it is: git dropped "${first}"${lost.length > 1 ? ` and ${lost.length - 1} more` : ""}; nothing was pulled`,
    {
      details: {
        paths: lost.slice(0, 50),
        fix: "The run's tree holds paths git refuses (a file under a file, a .git path): the stack should have refused them; report it.",
      },
    },
  );
}

async function checkBranchName(root: string, name: string): Promise<string> {
  try {
    return await gitText(["check-ref-format", "--branch", name], { cwd: root });
  } catch (error) {
    throw new BernsteinError("usage", `"${name}" is not a valid branch name`, { cause: error });
  }
}

async function refValue(root: string, ref: string): Promise<string | null> {
  const { stdout } = await runGit(["rev-parse", "--verify", "--quiet", ref], { cwd: root, okCodes: [1] });
  const sha = stdout.toString("utf8").trim();
  return sha === "" ? null : sha;
}

async function hasCommit(root: string, sha: string): Promise<boolean> {
  const { code } = await runGit(["cat-file", "-e", `${sha}^{commit}`], { cwd: root, okCodes: [1, 128] });
  return code === 0;
}

// Moving a branch that a work tree has checked out would change that work tree's HEAD.
async function refuseCheckedOut(root: string, ref: string, branch: string): Promise<void> {
  const list = await gitText(["worktree", "list", "--porcelain"], { cwd: root });
  if (list.split("\n").some((line) => line === `branch ${ref}`)) {
    throw new BernsteinError("conflict", `branch ${branch} is checked out; pull never moves a checked-out branch`, {
      details: { branch, fix: "Write the result to another branch with --branch NAME." },
    });
  }
}

// commit-tree needs an identity; a fresh machine may have none configured.
async function identityEnv(root: string): Promise<Record<string, string>> {
  const { code } = await runGit(["var", "GIT_COMMITTER_IDENT"], { cwd: root, okCodes: [128] });
  const author = await runGit(["var", "GIT_AUTHOR_IDENT"], { cwd: root, okCodes: [128] });
  return code === 0 && author.code === 0 ? {} : FALLBACK_IDENTITY;
}
