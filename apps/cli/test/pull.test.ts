import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResult } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { loadBlobHashCache } from "../src/git/hash-cache.js";
import { pullRun } from "../src/git/pull.js";
import { takeSnapshot } from "../src/git/snapshot.js";
import { uploadSnapshot } from "../src/git/upload.js";
import { makeRepo, repoState, type TestRepo } from "./support/git-repo.js";
import { memoryStack } from "./support/memory-stack.js";

const RUN = "r_abcdefabcdef";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bernstein-pull-test-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const BASE_FILES = { "a.txt": "alpha\n", "b.txt": "beta\n", "keep/x.txt": "x\n" };
const BASE_TREE = { "a.txt": { content: "alpha\n" }, "b.txt": { content: "beta\n" }, "keep/x.txt": { content: "x\n" } };

function newRepo(): TestRepo {
  const repo = makeRepo(BASE_FILES);
  cleanups.push(repo.cleanup);
  return repo;
}

/** A stack holding the repo's snapshot at HEAD plus two merges on top of it (given out of order). */
async function stackWithRun(repo: TestRepo) {
  const stack = memoryStack();
  const snapshot = await takeSnapshot(repo.dir, { dirty: false, cacheDir: tempDir() });
  const base = await uploadSnapshot(stack.api, repo.dir, snapshot);
  const first = stack.storeTree({ ...BASE_TREE, "c.txt": { content: "gamma\n" } });
  const { "b.txt": _deleted, ...withoutB } = BASE_TREE;
  const second = stack.storeTree({
    ...withoutB,
    "c.txt": { content: "gamma\n" },
    "a.txt": { content: "alpha two\n" },
    "tool.sh": { content: "#!/bin/sh\n", mode: "100755" },
    "to-c": { content: "c.txt", mode: "120000" },
  });
  const result: RunResult = {
    runId: RUN,
    status: "completed",
    baseSnapshot: base.sha256,
    baseCommit: snapshot.baseCommit,
    merges: [
      {
        seq: 2,
        taskId: "t_bbbbbbbbbbbb",
        title: "Change alpha",
        summary: "Edited a.txt, removed b.txt.",
        manifest: second,
      },
      { seq: 1, taskId: "t_aaaaaaaaaaaa", title: "Add gamma", summary: "Added c.txt.", manifest: first },
    ],
  };
  stack.results.set(RUN, result);
  return { stack };
}

describe("pullRun", () => {
  it("writes one commit per merge on a new branch without touching work tree, index or HEAD", async () => {
    const repo = newRepo();
    const { stack } = await stackWithRun(repo);
    // Leave the user mid-work: an unstaged edit, a staged file, an untracked file.
    repo.write({ "a.txt": "my local edit\n", "staged.txt": "s\n", "untracked.txt": "u\n" });
    repo.git("add", "staged.txt");
    const before = repoState(repo);
    const base = repo.git("rev-parse", "HEAD");

    const pulled = await pullRun(stack.api, { root: repo.dir, runId: RUN });

    expect(repoState(repo)).toEqual(before);
    expect(readFileSync(join(repo.dir, "a.txt"), "utf8")).toBe("my local edit\n");
    expect(pulled).toMatchObject({ branch: `bernstein/${RUN}`, dirtyBase: false, status: "completed" });
    expect(pulled.commits.map((c) => c.title)).toEqual(["Add gamma", "Change alpha"]);
    expect(
      repo
        .git("log", "--format=%B%x00", `bernstein/${RUN}`, `^${base}`)
        .split("\0")
        .map((m) => m.trim())
        .filter(Boolean),
    ).toEqual(["Change alpha\n\nEdited a.txt, removed b.txt.", "Add gamma\n\nAdded c.txt."]);
    expect(repo.git("rev-parse", `bernstein/${RUN}~2`)).toBe(base);
    expect(
      repo
        .git("ls-tree", "-r", `bernstein/${RUN}`)
        .split("\n")
        .map((l) => l.replace(/ [0-9a-f]{40}\t/, " ")),
    ).toEqual([
      "100644 blob a.txt",
      "100644 blob c.txt",
      "100644 blob keep/x.txt",
      "120000 blob to-c",
      "100755 blob tool.sh",
    ]);
    expect(repo.git("show", `bernstein/${RUN}:a.txt`)).toBe("alpha two");
    expect(repo.git("show", `bernstein/${RUN}~1:c.txt`)).toBe("gamma");
    expect(repo.git("show", `bernstein/${RUN}~1:b.txt`)).toBe("beta");
  });

  it("refuses to overwrite an existing branch unless forced", async () => {
    const repo = newRepo();
    const { stack } = await stackWithRun(repo);
    const first = await pullRun(stack.api, { root: repo.dir, runId: RUN });
    repo.git("branch", "-f", `bernstein/${RUN}`, "HEAD");
    await expect(pullRun(stack.api, { root: repo.dir, runId: RUN })).rejects.toMatchObject({ code: "conflict" });
    expect(repo.git("rev-parse", `bernstein/${RUN}`)).toBe(repo.git("rev-parse", "HEAD"));
    const forced = await pullRun(stack.api, { root: repo.dir, runId: RUN, force: true });
    expect(repo.git("rev-parse", `bernstein/${RUN}^{tree}`)).toBe(repo.git("rev-parse", `${first.head}^{tree}`));
    expect(forced.commits).toHaveLength(2);
  });

  it("never moves the checked-out branch, even with --force", async () => {
    const repo = newRepo();
    const { stack } = await stackWithRun(repo);
    const current = repo.git("symbolic-ref", "--short", "HEAD");
    await expect(
      pullRun(stack.api, { root: repo.dir, runId: RUN, branch: current, force: true }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("writes a custom branch and rejects an invalid name", async () => {
    const repo = newRepo();
    const { stack } = await stackWithRun(repo);
    const pulled = await pullRun(stack.api, { root: repo.dir, runId: RUN, branch: "feature/calc" });
    expect(repo.git("rev-parse", "feature/calc")).toBe(pulled.head);
    await expect(pullRun(stack.api, { root: repo.dir, runId: RUN, branch: "bad..name" })).rejects.toMatchObject({
      code: "usage",
    });
  });

  it("puts the uncommitted changes of a --dirty run in a first commit", async () => {
    const repo = newRepo();
    repo.write({ "b.txt": "beta dirty\n", "untracked.txt": "new\n" });
    const stack = memoryStack();
    const snapshot = await takeSnapshot(repo.dir, { dirty: true, cacheDir: tempDir() });
    const base = await uploadSnapshot(stack.api, repo.dir, snapshot);
    const merged = stack.storeTree({
      "a.txt": { content: "alpha\n" },
      "b.txt": { content: "beta dirty\n" },
      "keep/x.txt": { content: "x\n" },
      "untracked.txt": { content: "new\n" },
      "c.txt": { content: "gamma\n" },
    });
    stack.results.set(RUN, {
      runId: RUN,
      status: "completed",
      baseSnapshot: base.sha256,
      baseCommit: snapshot.baseCommit,
      merges: [{ seq: 1, taskId: "t_aaaaaaaaaaaa", title: "Add gamma", summary: null, manifest: merged }],
    });
    const before = repoState(repo);
    const pulled = await pullRun(stack.api, { root: repo.dir, runId: RUN });
    expect(repoState(repo)).toEqual(before);
    expect(pulled.dirtyBase).toBe(true);
    expect(pulled.commits.map((c) => c.taskId)).toEqual([null, "t_aaaaaaaaaaaa"]);
    const first = `bernstein/${RUN}~1`;
    expect(repo.git("rev-parse", `${first}~1`)).toBe(snapshot.baseCommit);
    expect(repo.git("show", `${first}:b.txt`)).toBe("beta dirty");
    expect(repo.git("show", `${first}:untracked.txt`)).toBe("new");
    expect(repo.git("log", "-1", "--format=%s", first)).toBe(`Uncommitted changes at the start of ${RUN}`);
    expect(repo.git("log", "-1", "--format=%B", `bernstein/${RUN}`)).toBe("Add gamma");
  });

  it("downloads only blobs the repository does not already hold", async () => {
    const repo = newRepo();
    const cacheDir = tempDir();
    const stack = memoryStack();
    const snapshot = await takeSnapshot(repo.dir, { dirty: false, cacheDir });
    const base = await uploadSnapshot(stack.api, repo.dir, snapshot);
    const merged = stack.storeTree({ ...BASE_TREE, "c.txt": { content: "gamma\n" } });
    stack.results.set(RUN, {
      runId: RUN,
      status: "completed",
      baseSnapshot: base.sha256,
      baseCommit: snapshot.baseCommit,
      merges: [{ seq: 1, taskId: "t_aaaaaaaaaaaa", title: "Add gamma", summary: "s", manifest: merged }],
    });
    const pulled = await pullRun(stack.api, { root: repo.dir, runId: RUN, cache: await loadBlobHashCache(cacheDir) });
    expect(pulled.blobsDownloaded).toBe(1);
    expect(stack.downloads).toEqual([createHash("sha256").update("gamma\n").digest("hex")]);
  });

  it("refuses a result path that escapes the repository and writes no branch", async () => {
    const repo = newRepo();
    const { stack } = await stackWithRun(repo);
    const evil = stack.storeTree({ "../evil.txt": { content: "x\n" } });
    const result = stack.results.get(RUN) as RunResult;
    stack.results.set(RUN, {
      ...result,
      merges: [{ ...(result.merges[0] as RunResult["merges"][number]), manifest: evil }],
    });
    await expect(pullRun(stack.api, { root: repo.dir, runId: RUN })).rejects.toMatchObject({ code: "path_escape" });
    expect(repo.git("branch", "--list", `bernstein/${RUN}`)).toBe("");
  });

  it("names a base commit the repository lacks", async () => {
    const repo = newRepo();
    const { stack } = await stackWithRun(repo);
    const result = stack.results.get(RUN) as RunResult;
    stack.results.set(RUN, { ...result, baseCommit: "1".repeat(40) });
    await expect(pullRun(stack.api, { root: repo.dir, runId: RUN })).rejects.toMatchObject({ code: "git_error" });
  });

  it.each([
    ["a nested .git", { "sub/.git/config": { content: "[core]\n\tfsmonitor = x\n" } }, /sub\/\.git\/config/],
    ["an upper-case .GIT", { ".GIT/config": { content: "x\n" } }, /\.GIT\/config/],
    ["a file under a file", { d: { content: "file\n" }, "d/x": { content: "below\n" } }, /git dropped "d"/],
  ])("never drops a file silently: %s refuses the result and names the path", async (_what, extra, message) => {
    const repo = newRepo();
    const stack = memoryStack();
    const snapshot = await takeSnapshot(repo.dir, { dirty: false, cacheDir: tempDir() });
    const base = await uploadSnapshot(stack.api, repo.dir, snapshot);
    const bad = stack.storeTree({ ...BASE_TREE, ...extra });
    stack.results.set(RUN, {
      runId: RUN,
      status: "completed",
      baseSnapshot: base.sha256,
      baseCommit: snapshot.baseCommit,
      merges: [{ seq: 1, taskId: "t_aaaaaaaaaaaa", title: "Bad tree", summary: null, manifest: bad }],
    });
    const before = repoState(repo);
    const error = await pullRun(stack.api, { root: repo.dir, runId: RUN }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: expect.stringMatching(/^(path_escape|git_error)$/),
      message: expect.stringMatching(message),
    });
    expect(repo.git("branch", "--list", `bernstein/${RUN}`)).toBe("");
    expect(repoState(repo)).toEqual(before);
  });
});
