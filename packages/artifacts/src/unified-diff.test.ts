import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { FileMode, Manifest } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { memoryBlobs } from "./test-utils/memory-blobs.js";
import { unifiedDiff } from "./unified-diff.js";

type Files = Record<string, { text: string; mode?: FileMode }>;

async function tree(blobs: ReturnType<typeof memoryBlobs>, files: Files): Promise<Manifest> {
  const out: Manifest = {};
  for (const [path, { text, mode }] of Object.entries(files)) out[path] = await blobs.put(text, mode);
  return out;
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

/** Writes `files` into a fresh git repo (committed), the way `pull` would see the base. */
async function repoWith(files: Files): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bernstein-diff-"));
  dirs.push(dir);
  git(dir, "init", "-q");
  git(dir, "config", "core.symlinks", "true");
  for (const [path, { text, mode }] of Object.entries(files)) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    if (mode === "120000") await symlink(text, full);
    else await writeFile(full, text, { mode: mode === "100755" ? 0o755 : 0o644 });
  }
  git(dir, "add", "-A");
  git(dir, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "base");
  return dir;
}

async function expectTree(dir: string, files: Files): Promise<void> {
  const listed = git(dir, "ls-files", "-s").trim().split("\n").filter(Boolean);
  expect(listed.map((l) => l.split("\t")[1]).sort()).toEqual(Object.keys(files).sort());
  for (const line of listed) {
    const [meta, path] = line.split("\t") as [string, string];
    const file = files[path];
    expect(file, path).toBeDefined();
    expect(meta.split(" ")[0], `${path} mode`).toBe(file?.mode ?? "100644");
    const full = join(dir, path);
    const content = (await lstat(full)).isSymbolicLink() ? await readlink(full) : await readFile(full, "utf8");
    expect(content, path).toBe(file?.text);
  }
}

/** Applies `patch` with real `git apply --index` and checks the result equals `after`. */
async function applyWithGit(before: Files, after: Files, patch: string): Promise<void> {
  const dir = await repoWith(before);
  await writeFile(join(dir, "change.patch"), patch);
  git(dir, "apply", "--check", "--index", "change.patch");
  git(dir, "apply", "--index", "change.patch");
  await rm(join(dir, "change.patch"));
  await expectTree(dir, after);
}

describe("unifiedDiff", () => {
  it("prints git's format for a modification, an addition and a deletion", async () => {
    const blobs = memoryBlobs();
    const base = await tree(blobs, { "a.txt": { text: "one\ntwo\nthree\n" }, "old.txt": { text: "bye\n" } });
    const next = await tree(blobs, { "a.txt": { text: "one\n2\nthree\n" }, "new.txt": { text: "hi\n" } });
    expect(await unifiedDiff(base, next, blobs.readText)).toBe(
      [
        "diff --git a/a.txt b/a.txt",
        "--- a/a.txt",
        "+++ b/a.txt",
        "@@ -1,3 +1,3 @@",
        " one",
        "-two",
        "+2",
        " three",
        "diff --git a/new.txt b/new.txt",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/new.txt",
        "@@ -0,0 +1,1 @@",
        "+hi",
        "diff --git a/old.txt b/old.txt",
        "deleted file mode 100644",
        "--- a/old.txt",
        "+++ /dev/null",
        "@@ -1,1 +0,0 @@",
        "-bye",
        "",
      ].join("\n"),
    );
  });

  it("is empty for equal trees", async () => {
    const blobs = memoryBlobs();
    const t = await tree(blobs, { a: { text: "x\n" } });
    expect(await unifiedDiff(t, { ...t }, blobs.readText)).toBe("");
  });

  it("shows binary changes as git does, without reading them as text", async () => {
    const blobs = memoryBlobs();
    const base: Manifest = { "img.png": await blobs.put(new Uint8Array([0x89, 0x50, 0, 1])) };
    const next: Manifest = {
      "img.png": await blobs.put(new Uint8Array([0x89, 0x50, 0, 2])),
      "new.bin": await blobs.put(new Uint8Array([0, 0, 0])),
    };
    expect(await unifiedDiff(base, next, blobs.readText)).toBe(
      [
        "diff --git a/img.png b/img.png",
        "Binary files a/img.png and b/img.png differ",
        "diff --git a/new.bin b/new.bin",
        "new file mode 100644",
        "Binary files /dev/null and b/new.bin differ",
        "",
      ].join("\n"),
    );
    expect(await unifiedDiff(next, base, blobs.readText)).toContain(
      "diff --git a/new.bin b/new.bin\ndeleted file mode 100644\nBinary files a/new.bin and /dev/null differ\n",
    );
  });

  it("produces a patch that real git applies: edits, adds, deletes, modes, symlinks, odd names", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join("\n");
    const before: Files = {
      "README.md": { text: "# Title\n\nSome text.\n" },
      "src/long.ts": { text: `${long}\n` },
      "src/gone.ts": { text: "export const gone = 1;\n" },
      "bin/run.sh": { text: "#!/bin/sh\necho hi\n" },
      "bin/tool": { text: "#!/bin/sh\nexit 0\n" },
      "no-eol.txt": { text: "last line without newline" },
      link: { text: "README.md", mode: "120000" },
      "dir with space/file name.txt": { text: "spaced\n" },
      "was-link": { text: "README.md", mode: "120000" },
    };
    const after: Files = {
      "README.md": { text: "# New title\n\nSome text.\nMore.\n" },
      "src/long.ts": { text: `${long.replace("line 5\n", "line five\n").replace("line 50\n", "")}\n` },
      "src/new/deep.ts": { text: "export {};\n" },
      "bin/run.sh": { text: "#!/bin/sh\necho hi\n", mode: "100755" },
      "bin/tool": { text: "#!/bin/sh\nexit 1\n", mode: "100755" },
      "no-eol.txt": { text: "last line now ends\n" },
      "empty.txt": { text: "" },
      link: { text: "src/long.ts", mode: "120000" },
      "dir with space/file name.txt": { text: "still spaced\n" },
      "was-link": { text: "now a file\n" },
    };
    const blobs = memoryBlobs();
    const patch = await unifiedDiff(await tree(blobs, before), await tree(blobs, after), blobs.readText);
    expect(patch).toContain("old mode 100644\nnew mode 100755\n");
    expect(patch).toContain("\\ No newline at end of file\n");
    await applyWithGit(before, after, patch);
    // And back again: the reverse diff undoes it.
    const reverse = await unifiedDiff(await tree(blobs, after), await tree(blobs, before), blobs.readText);
    await applyWithGit(after, before, reverse);
  });
});
