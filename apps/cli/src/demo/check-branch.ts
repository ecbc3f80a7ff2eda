import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGit } from "../git/exec.js";

export interface TestReport {
  passed: boolean;
  command: string;
  /** The counts of Node's test runner summary (`# tests 4`, `# pass 4`, ...), when it printed one. */
  counts: Record<string, number>;
  /** The end of the test output. */
  tail: string;
}

/**
 * Checks a branch out in a temporary worktree (`git worktree add`, so the repo's own work tree
 * is untouched), runs its tests (`npm test` when package.json has a test script, else
 * `node --test`), and removes the worktree again.
 */
export async function testBranch(root: string, branch: string, signal: AbortSignal): Promise<TestReport> {
  const dir = await mkdtemp(join(tmpdir(), "bernstein-check-"));
  const worktree = join(dir, "tree");
  await runGit(["worktree", "add", "--detach", worktree, branch], { cwd: root });
  try {
    if (hasTestScript(worktree)) {
      const npm = await runCommand("npm", ["test", "--silent"], worktree, signal);
      if (npm !== "missing") return report("npm test", npm);
    }
    // No test script, or no npm on PATH: Node's own test runner finds test files itself.
    const node = await runCommand(process.execPath, ["--test"], worktree, signal);
    if (node === "missing") throw new Error(`cannot run ${process.execPath}`);
    return report("node --test", node);
  } finally {
    await runGit(["worktree", "remove", "--force", worktree], { cwd: root });
    await rm(dir, { recursive: true, force: true });
  }
}

function report(command: string, result: { code: number; tail: string }): TestReport {
  const counts: Record<string, number> = {};
  for (const m of result.tail.matchAll(/^\s*# (tests|pass|fail|skipped|todo|cancelled) (\d+)$/gm)) {
    counts[m[1] as string] = Number(m[2]);
  }
  return { passed: result.code === 0, command, counts, tail: result.tail };
}

function hasTestScript(dir: string): boolean {
  const path = join(dir, "package.json");
  if (!existsSync(path)) return false;
  const pkg = JSON.parse(readFileSync(path, "utf8")) as { scripts?: Record<string, unknown> };
  return typeof pkg.scripts?.test === "string";
}

function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  signal: AbortSignal,
): Promise<{ code: number; tail: string } | "missing"> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      signal,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-8_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => {
      if ((error as { code?: unknown }).code === "ENOENT") resolve("missing");
      else reject(error);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, tail: output.trim().split("\n").slice(-12).join("\n") }));
  });
}
