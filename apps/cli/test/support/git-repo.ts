import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const IDENTITY = [
  "-c",
  "user.name=Test User",
  "-c",
  "user.email=test@example.invalid",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "init.defaultBranch=main",
];

/** A file to write: text, or an executable, or a symlink. */
export type FileSpec = string | { content: string; executable: true } | { symlink: string };

/** A throwaway git repository for a test. */
export interface TestRepo {
  dir: string;
  /** Runs git in the repo and returns trimmed stdout. */
  git(...args: string[]): string;
  write(files: Record<string, FileSpec>): void;
  /** `git add -A && git commit`, returns the new HEAD. */
  commit(message: string): string;
  cleanup(): void;
}

/** Creates a repo with `files` committed (or nothing committed when `files` is undefined). */
export function makeRepo(files?: Record<string, FileSpec>): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), "bernstein-cli-test-"));
  const git = (...args: string[]) =>
    execFileSync("git", [...IDENTITY, ...args], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  const write = (specs: Record<string, FileSpec>) => {
    for (const [path, spec] of Object.entries(specs)) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      rmSync(full, { force: true });
      if (typeof spec === "string") writeFileSync(full, spec);
      else if ("symlink" in spec) symlinkSync(spec.symlink, full);
      else {
        writeFileSync(full, spec.content);
        chmodSync(full, 0o755);
      }
    }
  };
  const commit = (message: string) => {
    git("add", "-A");
    git("commit", "-q", "--no-verify", "-m", message);
    return git("rev-parse", "HEAD");
  };
  git("init", "-q");
  if (files) {
    write(files);
    commit("initial");
  }
  return { dir, git, write, commit, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Everything `pull` promises not to touch. */
export function repoState(repo: TestRepo): Record<string, string> {
  return {
    status: repo.git("status", "--porcelain=v1", "--untracked-files=all"),
    head: repo.git("rev-parse", "HEAD"),
    branch: repo.git("symbolic-ref", "HEAD"),
    index: repo.git("ls-files", "-s"),
    staged: repo.git("diff", "--cached"),
    unstaged: repo.git("diff"),
  };
}
