import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError, canonicalJson, type Manifest, toBernsteinError } from "@bernstein/core";
import { type BlobCache, sha256Of } from "./blob-cache.js";
import { addWorktree, hasCommit, removeWorktree } from "./git-checkout.js";
import { type WriteTreeStats, writeTree } from "./write-tree.js";

export interface MaterialiseOptions {
  /** The job's manifest hash. */
  manifest: string;
  /** The run's base commit: with `repoRoot`, the job starts from a checkout of it. */
  baseCommit?: string | null;
  /** Loads a manifest by hash (`GET /v1/runners/snapshots/:sha256`). */
  loadManifest(sha256: string): Promise<Manifest>;
  cache: BlobCache;
  /** Where the job's temporary directory is created. */
  workRoot: string;
  /** A local clone that may hold `baseCommit`. */
  repoRoot?: string | undefined;
  signal?: AbortSignal;
}

/** A job's tree on disk. */
export interface JobTree {
  dir: string;
  /** `git`: a worktree of the base commit with the differences written over it; `blobs`: every file from blobs. */
  source: "git" | "blobs";
  /** Why a git checkout was not used although a repository was given. */
  gitSkipped?: string;
  stats: WriteTreeStats;
  durationMs: number;
  /** Removes the directory (and the worktree's record in the repository). */
  cleanup(): Promise<void>;
}

/**
 * Materialises a job's manifest into a fresh temporary directory: from a worktree of the base
 * commit when the runner sits in a clone that has it (only the differing files are
 * downloaded, and untracked build outputs of the clone stay out), else from blobs alone.
 */
export async function materialise(options: MaterialiseOptions): Promise<JobTree> {
  const started = Date.now();
  const manifest = await options.loadManifest(options.manifest);
  const actual = sha256Of(canonicalJson(manifest));
  if (actual !== options.manifest) {
    throw new BernsteinError("hash_mismatch", `manifest ${options.manifest} arrived hashing to ${actual}`, {
      details: { expected: options.manifest, actual },
    });
  }
  await mkdir(options.workRoot, { recursive: true });
  const tmp = await mkdtemp(join(options.workRoot, "bernstein-job-"));
  const dir = join(tmp, "tree");
  let worktreeOf: string | undefined;
  let gitSkipped: string | undefined;
  const cleanup = async () => {
    if (worktreeOf !== undefined) await removeWorktree(worktreeOf, dir);
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const { repoRoot, baseCommit } = options;
    if (repoRoot !== undefined && baseCommit) {
      if (await hasCommit(repoRoot, baseCommit)) {
        try {
          await addWorktree(repoRoot, baseCommit, dir);
          worktreeOf = repoRoot;
        } catch (error) {
          // A repository that cannot add worktrees (bare, locked, odd config) still gets the job done from blobs.
          gitSkipped = `git worktree add failed: ${toBernsteinError(error).message}`;
          await rm(dir, { recursive: true, force: true });
        }
      } else {
        gitSkipped = `the base commit ${baseCommit.slice(0, 12)} is not in ${repoRoot}`;
      }
    }
    if (worktreeOf === undefined) await mkdir(dir);
    const stats = await writeTree({
      dir,
      manifest,
      cache: options.cache,
      existing: worktreeOf !== undefined,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      dir,
      source: worktreeOf === undefined ? "blobs" : "git",
      ...(gitSkipped === undefined ? {} : { gitSkipped }),
      stats,
      durationMs: Date.now() - started,
      cleanup,
    };
  } catch (error) {
    await cleanup().catch((cleanupError: unknown) => {
      throw new AggregateError([error, cleanupError], `materialising failed, and so did removing ${tmp}`);
    });
    throw error;
  }
}
