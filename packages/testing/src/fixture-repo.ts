import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BernsteinError } from "@bernstein/core";

const run = promisify(execFile);

export interface FixtureRepoOptions {
  /** Copy this directory instead of looking the name up (e.g. from a bundled CLI). */
  sourceDir?: string;
}

/** A throwaway git repository holding a fixture, committed once on `main`. */
export interface FixtureRepo {
  dir: string;
  /** Commit id of the single commit; stable for the same fixture content. */
  head: string;
  cleanup(): Promise<void>;
}

// Fixed identity and dates make the commit id a function of the content alone, and keep the
// user's git config (hooks, signing, templates) out of the fixture.
const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Bernstein Fixtures",
  GIT_AUTHOR_EMAIL: "fixtures@bernstein.invalid",
  GIT_AUTHOR_DATE: "2025-01-01T00:00:00Z",
  GIT_COMMITTER_NAME: "Bernstein Fixtures",
  GIT_COMMITTER_EMAIL: "fixtures@bernstein.invalid",
  GIT_COMMITTER_DATE: "2025-01-01T00:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * Where fixture `name` lives: `packages/testing/fixtures/<name>/`, else the repository's
 * `examples/<name>/` (the calculator fixture IS `examples/calculator`, one source of truth).
 */
export function fixtureSourceDir(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
    throw new BernsteinError("bad_request", `fixture name "${name}" must be kebab-case`);
  const candidates = [join(PACKAGE_DIR, "fixtures", name), join(PACKAGE_DIR, "..", "..", "examples", name)];
  const found = candidates.find((dir) => existsSync(join(dir, "package.json")) || existsSync(join(dir, "README.md")));
  if (found === undefined) throw new BernsteinError("not_found", `no fixture "${name}" in ${candidates.join(" or ")}`);
  return found;
}

async function git(dir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd: dir, env: { ...process.env, ...GIT_ENV } });
    return stdout.trim();
  } catch (error) {
    throw new BernsteinError("git_error", `git ${args[0]} failed in ${dir}`, { cause: error });
  }
}

/** Copies a fixture to a temp dir and commits it with real git (`main`, fixed author and date). */
export async function createFixtureRepo(name: string, options: FixtureRepoOptions = {}): Promise<FixtureRepo> {
  const source = options.sourceDir ?? fixtureSourceDir(name);
  const dir = await mkdtemp(join(tmpdir(), `bernstein-${name}-`));
  const skip = new Set(["node_modules", ".git", ".bernstein"]);
  await cp(source, dir, { recursive: true, filter: (path) => !skip.has(basename(path)) });
  await git(dir, ["init", "-q", "-b", "main"]);
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "--no-verify", "-m", `Fixture ${name}`]);
  const head = await git(dir, ["rev-parse", "HEAD"]);
  return { dir, head, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
