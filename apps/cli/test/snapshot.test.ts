import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { excludeFromGit } from "../src/git/repo.js";
import { takeSnapshot } from "../src/git/snapshot.js";
import { uploadSnapshot } from "../src/git/upload.js";
import { makeRepo, type TestRepo } from "./support/git-repo.js";
import { memoryStack } from "./support/memory-stack.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repoWithHistory(): TestRepo {
  const repo = makeRepo({
    "a.txt": "alpha\n",
    "gone.txt": "to be deleted\n",
    "bin/run.sh": { content: "#!/bin/sh\necho hi\n", executable: true },
    link: { symlink: "a.txt" },
    ".gitignore": "*.log\n",
  });
  cleanups.push(repo.cleanup);
  // Uncommitted work of every kind.
  repo.write({ "a.txt": "alpha edited\n", "new.txt": "brand new\n", "debug.log": "ignored\n" });
  rmSync(join(repo.dir, "gone.txt"));
  repo.write({ "staged.txt": "staged only\n" });
  repo.git("add", "staged.txt");
  return repo;
}

function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bernstein-cache-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("takeSnapshot", () => {
  it("takes the tree at HEAD with modes, symlinks and sizes, ignoring uncommitted work", async () => {
    const repo = repoWithHistory();
    const snapshot = await takeSnapshot(repo.dir, { dirty: false, cacheDir: cacheDir() });
    expect(snapshot.baseCommit).toBe(repo.git("rev-parse", "HEAD"));
    expect(snapshot.manifest).toEqual({
      ".gitignore": { sha256: sha("*.log\n"), mode: "100644", size: 6 },
      "a.txt": { sha256: sha("alpha\n"), mode: "100644", size: 6 },
      "bin/run.sh": { sha256: sha("#!/bin/sh\necho hi\n"), mode: "100755", size: 18 },
      "gone.txt": { sha256: sha("to be deleted\n"), mode: "100644", size: 14 },
      link: { sha256: sha("a.txt"), mode: "120000", size: 5 },
    });
    expect(snapshot.dirtyPaths).toEqual([]);
    expect([...snapshot.blobs.values()].every((ref) => ref.kind === "git")).toBe(true);
  });

  it("with dirty, adds tracked edits and untracked files, drops deletions, skips ignored files", async () => {
    const repo = repoWithHistory();
    await excludeFromGit(repo.dir, ".bernstein");
    mkdirSync(join(repo.dir, ".bernstein"));
    writeFileSync(join(repo.dir, ".bernstein", "stack.json"), "{}");
    repo.write({ "tools/new-tool.sh": { content: "#!/bin/sh\n", executable: true }, "new-link": { symlink: "bin" } });

    const snapshot = await takeSnapshot(repo.dir, { dirty: true, cacheDir: cacheDir() });
    expect(Object.keys(snapshot.manifest).sort()).toEqual([
      ".gitignore",
      "a.txt",
      "bin/run.sh",
      "link",
      "new-link",
      "new.txt",
      "staged.txt",
      "tools/new-tool.sh",
    ]);
    expect(snapshot.manifest["a.txt"]).toEqual({ sha256: sha("alpha edited\n"), mode: "100644", size: 13 });
    expect(snapshot.manifest["tools/new-tool.sh"]?.mode).toBe("100755");
    expect(snapshot.manifest["new-link"]).toEqual({ sha256: sha("bin"), mode: "120000", size: 3 });
    expect(snapshot.dirtyPaths).toEqual(["a.txt", "new-link", "new.txt", "staged.txt", "tools/new-tool.sh"]);
    const edited = snapshot.blobs.get(sha("alpha edited\n"));
    expect(edited?.kind === "bytes" && edited.bytes.toString()).toBe("alpha edited\n");
  });

  it("keeps a chmod +x of a tracked file under dirty", async () => {
    const repo = makeRepo({ "tool.sh": "echo\n" });
    cleanups.push(repo.cleanup);
    repo.write({ "tool.sh": { content: "echo\n", executable: true } });
    const snapshot = await takeSnapshot(repo.dir, { dirty: true, cacheDir: cacheDir() });
    expect(snapshot.manifest["tool.sh"]?.mode).toBe("100755");
  });

  it("reuses cached hashes on the second snapshot instead of reading the blobs again", async () => {
    const repo = makeRepo({ "one.txt": "1\n", "two.txt": "2\n" });
    cleanups.push(repo.cleanup);
    const dir = cacheDir();
    const first = await takeSnapshot(repo.dir, { dirty: false, cacheDir: dir });
    const cacheFile = join(dir, "blob-hashes.tsv");
    const lines = readFileSync(cacheFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    // Poison one entry: a second snapshot that reports the poisoned hash read the cache, not git.
    const oneSha1 = repo.git("rev-parse", "HEAD:one.txt");
    const fake = "f".repeat(64);
    writeFileSync(cacheFile, lines.map((l) => (l.startsWith(oneSha1) ? `${oneSha1}\t${fake}\t2` : l)).join("\n"));
    const second = await takeSnapshot(repo.dir, { dirty: false, cacheDir: dir });
    expect(second.manifest["one.txt"]?.sha256).toBe(fake);
    expect(second.manifest["two.txt"]).toEqual(first.manifest["two.txt"]);
  });

  it("refuses a repository without commits unless dirty", async () => {
    const repo = makeRepo();
    cleanups.push(repo.cleanup);
    repo.write({ "draft.txt": "draft\n" });
    await expect(takeSnapshot(repo.dir, { dirty: false, cacheDir: cacheDir() })).rejects.toMatchObject({
      code: "usage",
    });
    const snapshot = await takeSnapshot(repo.dir, { dirty: true, cacheDir: cacheDir() });
    expect(snapshot.baseCommit).toBeNull();
    expect(Object.keys(snapshot.manifest)).toEqual(["draft.txt"]);
  });
});

describe("uploadSnapshot", () => {
  it("sends only the blobs the stack lacks, then the manifest", async () => {
    const repo = repoWithHistory();
    const stack = memoryStack();
    const dir = cacheDir();
    const first = await uploadSnapshot(
      stack.api,
      repo.dir,
      await takeSnapshot(repo.dir, { dirty: false, cacheDir: dir }),
    );
    expect(first.uploadedBlobs).toBe(5);
    expect(stack.puts).toHaveLength(5);
    expect(stack.manifestOf(first.sha256)?.["a.txt"]?.sha256).toBe(sha("alpha\n"));

    const dirty = await takeSnapshot(repo.dir, { dirty: true, cacheDir: dir });
    const second = await uploadSnapshot(stack.api, repo.dir, dirty, { concurrency: 2 });
    // Only the new contents travel: a.txt's edit, new.txt, staged.txt.
    expect(second.uploadedBlobs).toBe(3);
    expect(stack.puts.slice(5).sort()).toEqual(
      [sha("alpha edited\n"), sha("brand new\n"), sha("staged only\n")].sort(),
    );
    expect(second.sha256).not.toBe(first.sha256);

    const again = await uploadSnapshot(stack.api, repo.dir, dirty);
    expect(again).toMatchObject({ sha256: second.sha256, uploadedBlobs: 0 });
  });

  it("refuses to upload content that does not match its cached hash", async () => {
    const repo = makeRepo({ "one.txt": "1\n" });
    cleanups.push(repo.cleanup);
    const dir = cacheDir();
    await takeSnapshot(repo.dir, { dirty: false, cacheDir: dir });
    const sha1 = repo.git("rev-parse", "HEAD:one.txt");
    writeFileSync(join(dir, "blob-hashes.tsv"), `${sha1}\t${"e".repeat(64)}\t2\n`);
    const snapshot = await takeSnapshot(repo.dir, { dirty: false, cacheDir: dir });
    await expect(uploadSnapshot(memoryStack().api, repo.dir, snapshot)).rejects.toMatchObject({
      code: "hash_mismatch",
    });
  });
});
