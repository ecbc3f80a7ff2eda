import { chmod, lstat, mkdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Manifest } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { createBlobCache } from "./blob-cache.js";
import { materialise } from "./materialise.js";
import { blobStore, type FileSpec, git, manifestOfDir, tempDir } from "./test-support/trees.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scratch(): Promise<string> {
  const made = await tempDir();
  cleanups.push(made.remove);
  return made.dir;
}

const FILES = {
  "README.md": { content: "# demo\n" },
  "bin/run.sh": { content: "#!/bin/sh\necho run\n", mode: "100755" as const },
  "src/deep/nested/file.txt": { content: "nested\n" },
  "link-to-readme": { content: "README.md", mode: "120000" as const },
  "src/up-link": { content: "../bin", mode: "120000" as const },
};

describe("materialise from blobs", () => {
  it("writes every file with its mode, symlinks with their targets, then removes the directory", async () => {
    const store = blobStore();
    const { manifest, sha256 } = store.tree(FILES);
    const workRoot = await scratch();
    const cache = createBlobCache(join(await scratch(), "blobs"), store.fetchBlob);
    const tree = await materialise({ manifest: sha256, loadManifest: store.loadManifest, cache, workRoot });
    expect(tree.source).toBe("blobs");
    expect(await manifestOfDir(tree.dir)).toEqual(manifest);
    expect((await lstat(join(tree.dir, "bin/run.sh"))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(tree.dir, "README.md"))).mode & 0o777).toBe(0o644);
    expect(await readlink(join(tree.dir, "link-to-readme"))).toBe("README.md");
    expect(await readFile(join(tree.dir, "src/up-link/run.sh"), "utf8")).toContain("echo run");
    expect(tree.stats).toMatchObject({ files: 5, written: 5, downloaded: 5 });
    await tree.cleanup();
    await expect(lstat(tree.dir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("downloads each blob once: a second job is served from the disk cache", async () => {
    const store = blobStore();
    const { sha256 } = store.tree({ ...FILES, "copy.md": { content: "# demo\n" } });
    const workRoot = await scratch();
    const cacheDir = join(await scratch(), "blobs");
    const first = await materialise({
      manifest: sha256,
      loadManifest: store.loadManifest,
      cache: createBlobCache(cacheDir, store.fetchBlob),
      workRoot,
    });
    // README.md and copy.md share a blob: 5 distinct blobs for 6 files.
    expect(store.fetched).toHaveLength(5);
    expect(first.stats.downloaded).toBe(5);
    const second = await materialise({
      manifest: sha256,
      loadManifest: store.loadManifest,
      cache: createBlobCache(cacheDir, store.fetchBlob),
      workRoot,
    });
    expect(store.fetched).toHaveLength(5);
    expect(second.stats).toMatchObject({ written: 6, downloaded: 0 });
    expect(second.dir).not.toBe(first.dir);
    await first.cleanup();
    await second.cleanup();
  });

  it("refuses a blob whose bytes do not match its hash, and leaves no directory behind", async () => {
    const store = blobStore();
    const { manifest, sha256 } = store.tree({ "a.txt": { content: "right" } });
    store.blobs.set((manifest["a.txt"] as { sha256: string }).sha256, new TextEncoder().encode("wrong"));
    const workRoot = await scratch();
    const cache = createBlobCache(join(await scratch(), "blobs"), store.fetchBlob);
    await expect(
      materialise({ manifest: sha256, loadManifest: store.loadManifest, cache, workRoot }),
    ).rejects.toMatchObject({ code: "hash_mismatch" });
    expect(await manifestOfDir(workRoot)).toEqual({});
  });

  it("refuses a manifest that is not the one asked for", async () => {
    const store = blobStore();
    const { sha256 } = store.tree({ "a.txt": { content: "a" } });
    const other: Manifest = {};
    await expect(
      materialise({
        manifest: sha256,
        loadManifest: async () => other,
        cache: createBlobCache(join(await scratch(), "blobs"), store.fetchBlob),
        workRoot: await scratch(),
      }),
    ).rejects.toMatchObject({ code: "hash_mismatch" });
  });

  it("refuses paths that leave the directory or nest a file under a file", async () => {
    const cases: Record<string, FileSpec>[] = [
      { "../escape.txt": { content: "x" } },
      { ".git/config": { content: "x" } },
      { a: { content: "x" }, "a/b": { content: "y" } },
    ];
    for (const files of cases) {
      const store = blobStore();
      const { sha256 } = store.tree(files);
      const workRoot = await scratch();
      await expect(
        materialise({
          manifest: sha256,
          loadManifest: store.loadManifest,
          cache: createBlobCache(join(await scratch(), "blobs"), store.fetchBlob),
          workRoot,
        }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^(path_escape|bad_request)$/) });
      expect(await manifestOfDir(workRoot)).toEqual({});
    }
  });
});

describe("materialise from a git checkout of the base commit", () => {
  async function repoWithCommit() {
    const repo = await scratch();
    git(repo, "init", "-q", "-b", "main");
    await writeFile(join(repo, "README.md"), "# demo\n");
    await mkdir(join(repo, "src"));
    await writeFile(join(repo, "src/keep.js"), "export const keep = 1;\n");
    await writeFile(join(repo, "src/change.js"), "export const v = 1;\n");
    await writeFile(join(repo, "src/gone.js"), "export const gone = 1;\n");
    await writeFile(join(repo, "tool.sh"), "#!/bin/sh\n");
    await symlink("README.md", join(repo, "old-link"));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    // Untracked build output of the user's clone: it must not reach the job.
    await mkdir(join(repo, "node_modules/dep"), { recursive: true });
    await writeFile(join(repo, "node_modules/dep/index.js"), "untracked\n");
    return { repo, commit: git(repo, "rev-parse", "HEAD") };
  }

  it("starts from a worktree, downloads only what differs, and leaves the clone as it was", async () => {
    const { repo, commit } = await repoWithCommit();
    const store = blobStore();
    const { manifest, sha256 } = store.tree({
      "README.md": { content: "# demo\n" },
      "src/keep.js": { content: "export const keep = 1;\n" },
      "src/change.js": { content: "export const v = 2;\n" },
      "src/new/added.js": { content: "export const added = 1;\n" },
      "tool.sh": { content: "#!/bin/sh\n", mode: "100755" },
      "old-link": { content: "src/keep.js", mode: "120000" },
    });
    const cache = createBlobCache(join(await scratch(), "blobs"), store.fetchBlob);
    const statusBefore = git(repo, "status", "--porcelain");
    const tree = await materialise({
      manifest: sha256,
      baseCommit: commit,
      loadManifest: store.loadManifest,
      cache,
      workRoot: await scratch(),
      repoRoot: repo,
    });
    expect(tree.source).toBe("git");
    expect(await manifestOfDir(tree.dir)).toEqual(manifest);
    // Kept from the checkout: README.md, src/keep.js. tool.sh differs only in its mode.
    expect(tree.stats).toMatchObject({ files: 6, kept: 2, written: 4, deleted: 1 });
    expect(store.fetched.sort()).toEqual(
      ["src/change.js", "src/new/added.js", "tool.sh", "old-link"].map((p) => manifest[p]?.sha256).sort(),
    );
    // The job sees git (a worktree at the base commit), and the clone's untracked files stay out.
    expect(git(tree.dir, "rev-parse", "HEAD")).toBe(commit);
    await expect(lstat(join(tree.dir, "node_modules"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(git(repo, "worktree", "list", "--porcelain")).toContain(tree.dir);
    await tree.cleanup();
    expect(git(repo, "worktree", "list", "--porcelain")).not.toContain(tree.dir);
    expect(git(repo, "status", "--porcelain")).toBe(statusBefore);
  });

  it("rewrites files that a checkout changed on the way out (the manifest wins over git's filters)", async () => {
    const { repo, commit } = await repoWithCommit();
    // A smudge filter changes what git writes: the runner must notice and write the real bytes.
    await writeFile(join(repo, ".git/info/attributes"), "*.js filter=shout\n");
    git(repo, "config", "filter.shout.smudge", "tr a-z A-Z");
    git(repo, "config", "filter.shout.clean", "cat");
    const store = blobStore();
    const { manifest, sha256 } = store.tree({
      "README.md": { content: "# demo\n" },
      "src/keep.js": { content: "export const keep = 1;\n" },
    });
    const tree = await materialise({
      manifest: sha256,
      baseCommit: commit,
      loadManifest: store.loadManifest,
      cache: createBlobCache(join(await scratch(), "blobs"), store.fetchBlob),
      workRoot: await scratch(),
      repoRoot: repo,
    });
    expect(tree.source).toBe("git");
    expect(await manifestOfDir(tree.dir)).toEqual(manifest);
    expect(tree.stats).toMatchObject({ kept: 1, written: 1 });
    await tree.cleanup();
  });

  it("falls back to blobs when the clone does not have the base commit", async () => {
    const { repo } = await repoWithCommit();
    const store = blobStore();
    const { manifest, sha256 } = store.tree(FILES);
    const tree = await materialise({
      manifest: sha256,
      baseCommit: "0".repeat(40),
      loadManifest: store.loadManifest,
      cache: createBlobCache(join(await scratch(), "blobs"), store.fetchBlob),
      workRoot: await scratch(),
      repoRoot: repo,
    });
    expect(tree.source).toBe("blobs");
    expect(tree.gitSkipped).toMatch(/not in/);
    expect(await manifestOfDir(tree.dir)).toEqual(manifest);
    await tree.cleanup();
  });

  it("keeps an executable bit the checkout already has", async () => {
    const { repo } = await repoWithCommit();
    await chmod(join(repo, "tool.sh"), 0o755);
    git(repo, "add", "tool.sh");
    git(repo, "commit", "-q", "-m", "exec");
    const store = blobStore();
    const { sha256 } = store.tree({ "tool.sh": { content: "#!/bin/sh\n", mode: "100755" } });
    const tree = await materialise({
      manifest: sha256,
      baseCommit: git(repo, "rev-parse", "HEAD"),
      loadManifest: store.loadManifest,
      cache: createBlobCache(join(await scratch(), "blobs"), store.fetchBlob),
      workRoot: await scratch(),
      repoRoot: repo,
    });
    expect(tree.stats).toMatchObject({ kept: 1, written: 0, downloaded: 0 });
    expect(store.fetched).toEqual([]);
    await tree.cleanup();
  });
});
