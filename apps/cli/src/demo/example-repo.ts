import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BernsteinError } from "@bernstein/core";
import { runGit } from "../git/exec.js";

const DEMO_IDENTITY = {
  GIT_AUTHOR_NAME: "Bernstein Demo",
  GIT_AUTHOR_EMAIL: "demo@bernstein.invalid",
  GIT_COMMITTER_NAME: "Bernstein Demo",
  GIT_COMMITTER_EMAIL: "demo@bernstein.invalid",
};

/**
 * Where an example repo's files are: `examples/<name>` next to the CLI bundle (copied there by
 * the build), or in the source checkout (`BERNSTEIN_EXAMPLES_DIR` overrides both).
 */
export function exampleSourceDir(name: string, env: Readonly<Record<string, string | undefined>>): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.BERNSTEIN_EXAMPLES_DIR ? join(env.BERNSTEIN_EXAMPLES_DIR, name) : undefined,
    join(here, "examples", name),
    join(here, "..", "..", "..", "..", "examples", name),
    join(here, "..", "..", "..", "examples", name),
  ].filter((dir): dir is string => dir !== undefined);
  const found = candidates.find((dir) => existsSync(join(dir, "package.json")));
  if (!found) {
    throw new BernsteinError("internal", `the example repo "${name}" is missing (looked in ${candidates.join(", ")})`);
  }
  return found;
}

/**
 * Copies the example into `dir` (a new temp dir when none is given; an existing git repo is
 * used as it is) and commits it, so the demo works on a fresh machine with no git identity.
 */
export async function prepareExampleRepo(source: string, dir: string | undefined, cwd: string): Promise<string> {
  const target = dir ? resolve(cwd, dir) : await mkdtemp(join(tmpdir(), "bernstein-demo-"));
  if (existsSync(join(target, ".git"))) return target;
  if (existsSync(target) && (await readdir(target)).length > 0) {
    throw new BernsteinError("usage", `${target} exists and is neither empty nor a git repository`, {
      details: { fix: "Give --dir a new or empty directory (or the demo repo of an earlier `bernstein demo`)." },
    });
  }
  await mkdir(target, { recursive: true });
  const skip = new Set(["node_modules", ".git", ".bernstein"]);
  await cp(source, target, { recursive: true, filter: (path) => !skip.has(basename(path)) });
  await runGit(["init", "-q"], { cwd: target });
  await runGit(["add", "-A"], { cwd: target });
  await runGit(["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "Example calculator"], {
    cwd: target,
    env: DEMO_IDENTITY,
  });
  return target;
}
