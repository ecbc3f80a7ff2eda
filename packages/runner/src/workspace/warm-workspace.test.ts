import { chmod, lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Manifest } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { type BlobCache, createBlobCache } from "../blob-cache.js";
import { blobStore, type FileSpec, git, manifestOfDir, tempDir } from "../test-support/trees.js";
import { openWorkspace, setupFingerprint, type WarmWorkspace } from "./warm-workspace.js";

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

/** A workspace root, a blob store and a cache; `open()` holds the workspace of one repository. */
async function setup() {
  const root = await scratch();
  const store = blobStore();
  const cache: BlobCache = createBlobCache(join(await scratch(), "blobs"), store.fetchBlob);
  const open = async (slot = 0, key = "git:repo"): Promise<WarmWorkspace> => {
    const ws = await openWorkspace({ root, key, slot });
    cleanups.push(() => ws.release());
    return ws;
  };
  const sync = (ws: WarmWorkspace, tree: { manifest: Manifest; sha256: string }, extra = {}) =>
    ws.sync({ manifest: tree.manifest, manifestSha: tree.sha256, cache, ...extra });
  return { root, store, cache, open, sync };
}

/** The tracked part of a directory: what the manifest lists (untracked files filtered out). */
async function tracked(dir: string, manifest: Manifest): Promise<Manifest> {
  const all = await manifestOfDir(dir);
  return Object.fromEntries(Object.entries(all).filter(([path]) => path in manifest));
}

describe("a warm workspace", () => {
  it("starts from blobs: every file with its mode, symlinks with their targets", async () => {
    const { store, open, sync } = await setup();
    const tree = store.tree(FILES);
    const ws = await open();
    const synced = await sync(ws, tree);
    expect(synced.source).toBe("blobs");
    expect(await manifestOfDir(ws.dir)).toEqual(tree.manifest);
    expect((await lstat(join(ws.dir, "bin/run.sh"))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(ws.dir, "README.md"))).mode & 0o777).toBe(0o644);
    expect(await readlink(join(ws.dir, "link-to-readme"))).toBe("README.md");
    expect(await readFile(join(ws.dir, "src/up-link/run.sh"), "utf8")).toContain("echo run");
    expect(synced.stats).toMatchObject({ files: 5, written: 5, downloaded: 5 });
  });

  it("re-syncs only the files that differ, and leaves untracked directories such as node_modules in place", async () => {
    const { store, open, sync } = await setup();
    const first = store.tree({ ...FILES, "src/gone.js": { content: "gone\n" } });
    const ws = await open();
    await sync(ws, first);
    await mkdir(join(ws.dir, "node_modules/dep"), { recursive: true });
    await writeFile(join(ws.dir, "node_modules/dep/index.js"), "installed\n");
    await ws.release();

    const second = store.tree({
      ...FILES,
      "README.md": { content: "# changed\n" },
      "src/new.js": { content: "new\n" },
    });
    const again = await open();
    expect(again.dir).toBe(ws.dir);
    const synced = await sync(again, second);
    expect(synced.source).toBe("warm");
    expect(synced.stats).toMatchObject({ files: 6, written: 2, kept: 4, deleted: 1, downloaded: 2 });
    expect(await tracked(again.dir, second.manifest)).toEqual(second.manifest);
    await expect(lstat(join(again.dir, "src/gone.js"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readFile(join(again.dir, "node_modules/dep/index.js"), "utf8")).toBe("installed\n");
  });

  it("never lets a job see another job's changes to tracked files", async () => {
    const { store, open, sync } = await setup();
    const tree = store.tree(FILES);
    const ws = await open();
    await sync(ws, tree);
    // What a verify command might do: edit, delete, chmod, replace a folder by a symlink out of the tree.
    await writeFile(join(ws.dir, "README.md"), "# edited by a job\n");
    await rm(join(ws.dir, "link-to-readme"));
    await chmod(join(ws.dir, "bin/run.sh"), 0o644);
    const outside = await scratch();
    await rm(join(ws.dir, "src/deep"), { recursive: true });
    await symlink(outside, join(ws.dir, "src/deep"));
    const synced = await sync(ws, tree);
    expect(synced.stats).toMatchObject({ written: 4, kept: 1 });
    expect(await manifestOfDir(ws.dir)).toEqual(tree.manifest);
    expect(await manifestOfDir(outside)).toEqual({});
  });

  it("is held by one slot at a time: another slot, or another process's, gets the next workspace", async () => {
    const { store, open, sync } = await setup();
    const a = await open(0);
    const b = await open(0);
    expect([a.index, b.index]).toEqual([0, 1]);
    const other = await open(0, "git:other-repo");
    expect(other.index).toBe(0);
    expect(other.dir).not.toBe(a.dir);
    await sync(a, store.tree(FILES));
    await a.release();
    expect((await open(0)).dir).toBe(a.dir);
  });

  it("tells when setup must run: a new workspace, changed inputs or commands, or a failed last setup", async () => {
    const { store, open } = await setup();
    const one = store.tree({ "package.json": { content: "{}" }, "src/a.js": { content: "1" } });
    const sourceOnly = store.tree({ "package.json": { content: "{}" }, "src/a.js": { content: "2" } });
    const newDeps = store.tree({ "package.json": { content: '{"dependencies":{}}' }, "src/a.js": { content: "2" } });
    const install = ["npm ci"];
    const ws = await open();
    const first = setupFingerprint(install, one.manifest, null);
    expect(ws.setupIsCurrent(first)).toBe(false);
    await ws.recordSetup(first);
    await ws.release();
    const again = await open();
    expect(again.setupIsCurrent(setupFingerprint(install, sourceOnly.manifest, null))).toBe(true);
    expect(again.setupIsCurrent(setupFingerprint(install, newDeps.manifest, null))).toBe(false);
    expect(again.setupIsCurrent(setupFingerprint(["npm install"], sourceOnly.manifest, null))).toBe(false);
    expect(again.setupIsCurrent(setupFingerprint(install, sourceOnly.manifest, ["src/**"]))).toBe(false);
    await again.recordSetup(null);
    expect(again.setupIsCurrent(first)).toBe(false);
  });

  it("starts over, saying why, when its state file is unreadable", async () => {
    const { store, open, sync } = await setup();
    const ws = await open();
    await sync(ws, store.tree(FILES));
    await ws.release();
    await writeFile(join(ws.dir, "..", "state.json"), "{not json");
    const reset = await open();
    expect(reset.resetReason).toMatch(/not JSON/);
    expect((await sync(reset, store.tree(FILES))).source).toBe("blobs");
  });

  it("refuses a manifest that is not the one asked for, and bad paths: a .git anywhere, a file under a file, a link outside", async () => {
    const { store, open, cache } = await setup();
    const ws = await open();
    const { sha256 } = store.tree({ "a.txt": { content: "a" } });
    await expect(ws.sync({ manifest: {}, manifestSha: sha256, cache })).rejects.toMatchObject({
      code: "hash_mismatch",
    });
    const cases: Record<string, FileSpec>[] = [
      { "../escape.txt": { content: "x" } },
      { ".git/config": { content: "x" } },
      { "sub/.git/config": { content: "[core]\n\tfsmonitor = touch /tmp/pwned\n" } },
      { ".GIT/config": { content: "x" } },
      { a: { content: "x" }, "a/b": { content: "y" } },
      { link: { content: "../../outside", mode: "120000" } },
      { link: { content: "/etc", mode: "120000" } },
      { "a/link": { content: "../.git/hooks", mode: "120000" } },
    ];
    for (const files of cases) {
      const tree = store.tree(files);
      await expect(
        ws.sync({ manifest: tree.manifest, manifestSha: tree.sha256, cache }),
        Object.keys(files).join(" "),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/^(path_escape|bad_request)$/),
      });
    }
    // Nothing of the refused trees was written.
    expect(await manifestOfDir(ws.dir)).toEqual({});
  });

  it("refuses a blob whose bytes do not match its hash", async () => {
    const { store, open, sync } = await setup();
    const tree = store.tree({ "a.txt": { content: "right" } });
    store.blobs.set((tree.manifest["a.txt"] as { sha256: string }).sha256, new TextEncoder().encode("wrong"));
    await expect(sync(await open(), tree)).rejects.toMatchObject({ code: "hash_mismatch" });
  });
});

describe("a new workspace inside a clone", () => {
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
    // Untracked build output of the user's clone: it must not reach the workspace.
    await mkdir(join(repo, "node_modules/dep"), { recursive: true });
    await writeFile(join(repo, "node_modules/dep/index.js"), "untracked\n");
    return { repo, commit: git(repo, "rev-parse", "HEAD") };
  }

  it("starts from git archive of the base commit, downloads only what differs, and leaves the clone as it was", async () => {
    const { repo, commit } = await repoWithCommit();
    const { store, open, sync } = await setup();
    const tree = store.tree({
      "README.md": { content: "# demo\n" },
      "src/keep.js": { content: "export const keep = 1;\n" },
      "src/change.js": { content: "export const v = 2;\n" },
      "src/new/added.js": { content: "export const added = 1;\n" },
      "tool.sh": { content: "#!/bin/sh\n", mode: "100755" },
      "old-link": { content: "src/keep.js", mode: "120000" },
    });
    const statusBefore = git(repo, "status", "--porcelain");
    const ws = await open();
    const synced = await sync(ws, tree, { baseCommit: commit, repoRoot: repo });
    expect(synced.source).toBe("git");
    // src/gone.js came from the commit and is not tracked by the manifest: an untracked leftover.
    expect(await tracked(ws.dir, tree.manifest)).toEqual(tree.manifest);
    // Kept from the archive: README.md, src/keep.js. tool.sh differs only in its mode.
    expect(synced.stats).toMatchObject({ files: 6, kept: 2, written: 4 });
    expect(store.fetched.sort()).toEqual(
      ["src/change.js", "src/new/added.js", "tool.sh", "old-link"].map((p) => tree.manifest[p]?.sha256).sort(),
    );
    // Nothing links the workspace to the clone, and the clone's untracked files stay out.
    await expect(lstat(join(ws.dir, ".git"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(lstat(join(ws.dir, "node_modules"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(git(repo, "status", "--porcelain")).toBe(statusBefore);
  });

  it("falls back to blobs when the clone does not have the base commit", async () => {
    const { repo } = await repoWithCommit();
    const { store, open, sync } = await setup();
    const tree = store.tree(FILES);
    const ws = await open();
    const synced = await sync(ws, tree, { baseCommit: "0".repeat(40), repoRoot: repo });
    expect(synced.source).toBe("blobs");
    expect(synced.gitSkipped).toMatch(/not in/);
    expect(await manifestOfDir(ws.dir)).toEqual(tree.manifest);
  });
});
