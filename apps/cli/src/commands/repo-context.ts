import { chmod, mkdir } from "node:fs/promises";
import { excludeFromGit, findRepoRoot } from "../git/repo.js";
import type { CliIo } from "../io.js";
import { type StatePaths, statePaths } from "../stack/paths.js";

export interface RepoContext {
  root: string;
  paths: StatePaths;
}

/**
 * The git repo the command runs in and its state dir, which is created (mode 0700) and kept out
 * of git (`.git/info/exclude`) before anything is written there.
 */
export async function openRepo(io: CliIo, stateDir: string | undefined): Promise<RepoContext> {
  const root = await findRepoRoot(io.cwd);
  const paths = statePaths(root, stateDir ?? io.env.BERNSTEIN_STATE_DIR);
  await excludeFromGit(root, paths.dir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  // The state dir holds the stack's token and audit key: the user's alone, whatever the umask.
  await chmod(paths.dir, 0o700);
  return { root, paths };
}
