import { runGit } from "./git.js";

// A checkout for a job must not run the user's hooks or fetch LFS objects: the manifest is
// the truth, and files that differ from it are rewritten from blobs afterwards anyway.
const QUIET_CHECKOUT = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "filter.lfs.smudge=",
  "-c",
  "filter.lfs.process=",
  "-c",
  "filter.lfs.required=false",
  "-c",
  "core.autocrlf=false",
];

// `git worktree add/remove` update `.git/worktrees`: one at a time per repository.
const queues = new Map<string, Promise<unknown>>();
function serialised<T>(repoRoot: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(repoRoot) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  // The queue only orders the calls; each caller gets its own outcome through `next`.
  queues.set(
    repoRoot,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}

/** True when `commit` is a commit of the repository at `repoRoot`. */
export async function hasCommit(repoRoot: string, commit: string): Promise<boolean> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return false;
  const { code } = await runGit(["rev-parse", "--verify", "--quiet", `${commit}^{commit}`], repoRoot, [1]);
  return code === 0;
}

/** Checks `commit` out into the new directory `dir` as a detached worktree of `repoRoot`. */
export function addWorktree(repoRoot: string, commit: string, dir: string): Promise<void> {
  return serialised(repoRoot, async () => {
    await runGit([...QUIET_CHECKOUT, "worktree", "add", "--detach", "--quiet", dir, commit], repoRoot);
  });
}

/** Removes the worktree at `dir` (files and git's record of it). */
export function removeWorktree(repoRoot: string, dir: string): Promise<void> {
  return serialised(repoRoot, async () => {
    await runGit(["worktree", "remove", "--force", "--force", dir], repoRoot);
  });
}
