import { createHash } from "node:crypto";
import { lstat, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError, type FileMode, type Manifest } from "@bernstein/core";
import { isNotFound } from "../stack/stack-file.js";
import { readGitObjects } from "./cat-file.js";
import { runGit } from "./exec.js";
import { loadBlobHashCache } from "./hash-cache.js";
import { headCommit } from "./repo.js";

/** Where the bytes of a blob come from when it has to be uploaded. */
export type BlobRef = { kind: "git"; sha1: string } | { kind: "bytes"; bytes: Buffer };

/** A repository tree ready to upload: the manifest, the commit it is based on, blob sources. */
export interface RepoSnapshot {
  manifest: Manifest;
  /** HEAD when the snapshot was taken (null in a repository without commits). */
  baseCommit: string | null;
  /** sha256 -> where to read it. */
  blobs: Map<string, BlobRef>;
  /** Paths taken from the working tree rather than HEAD (`--dirty`), sorted. */
  dirtyPaths: string[];
  /** Submodules are not part of a snapshot: their paths, for a note. */
  skippedSubmodules: string[];
}

export interface SnapshotOptions {
  /** Include uncommitted changes: tracked edits, deletions, untracked-not-ignored files. */
  dirty: boolean;
  /** Where the git-sha1 -> sha256 cache lives (`.bernstein/cache`). */
  cacheDir: string;
}

/** SHA-256 of bytes, lowercase hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Snapshots the tree at HEAD (`git ls-tree` + `git cat-file --batch`, hashes cached by blob id)
 * and, with `dirty`, overlays the working tree's changes read from disk, keeping the
 * executable bit and symlinks and dropping deleted files.
 */
export async function takeSnapshot(root: string, options: SnapshotOptions): Promise<RepoSnapshot> {
  const baseCommit = await headCommit(root);
  if (baseCommit === null && !options.dirty) {
    throw new BernsteinError("usage", "the repository has no commits yet, so there is no HEAD to snapshot", {
      details: { fix: "Commit your files first (git add -A && git commit -m init), or pass --dirty." },
    });
  }
  const manifest: Manifest = {};
  const blobs = new Map<string, BlobRef>();
  const skippedSubmodules: string[] = [];
  if (baseCommit !== null) {
    const entries = await listTree(root, baseCommit);
    const cache = await loadBlobHashCache(options.cacheDir);
    const unknown = [...new Set(entries.filter((e) => e.type === "blob" && !cache.get(e.sha1)).map((e) => e.sha1))];
    for await (const object of readGitObjects(root, unknown)) {
      cache.set(object.sha1, { sha256: sha256Of(object.content), size: object.content.length });
    }
    await cache.save();
    for (const entry of entries) {
      if (entry.type !== "blob") {
        skippedSubmodules.push(entry.path);
        continue;
      }
      const hash = cache.get(entry.sha1);
      if (!hash) throw new BernsteinError("internal", `no hash for blob ${entry.sha1} (${entry.path})`);
      manifest[entry.path] = { sha256: hash.sha256, mode: fileMode(entry.mode), size: hash.size };
      blobs.set(hash.sha256, { kind: "git", sha1: entry.sha1 });
    }
  }
  const dirtyPaths = options.dirty ? await overlayWorkingTree(root, baseCommit, manifest, blobs) : [];
  return { manifest, baseCommit, blobs, dirtyPaths, skippedSubmodules };
}

interface TreeEntry {
  mode: string;
  type: string;
  sha1: string;
  path: string;
}

async function listTree(root: string, commit: string): Promise<TreeEntry[]> {
  const { stdout } = await runGit(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd: root });
  const entries: TreeEntry[] = [];
  for (const record of splitNul(stdout)) {
    // "<mode> SP <type> SP <object> TAB <path>"
    const tab = record.indexOf("\t");
    const [mode, type, sha1] = record.slice(0, tab).split(" ") as [string, string, string];
    entries.push({ mode, type, sha1, path: record.slice(tab + 1) });
  }
  return entries;
}

/** Uncommitted changes on top of HEAD's manifest; returns the paths read from disk. */
async function overlayWorkingTree(
  root: string,
  baseCommit: string | null,
  manifest: Manifest,
  blobs: Map<string, BlobRef>,
): Promise<string[]> {
  const changed =
    baseCommit === null
      ? splitNul((await runGit(["ls-files", "-z", "--cached"], { cwd: root })).stdout)
      : splitNul((await runGit(["diff", "--name-only", "-z", "--no-renames", "HEAD", "--"], { cwd: root })).stdout);
  const untracked = splitNul(
    (await runGit(["ls-files", "-z", "--others", "--exclude-standard"], { cwd: root })).stdout,
  );
  const paths = [...new Set([...changed, ...untracked])].sort();
  const read: string[] = [];
  for (const path of paths) {
    const file = await readWorkingFile(join(root, path));
    if (file === "deleted") {
      delete manifest[path];
      continue;
    }
    if (file === "not-a-file") continue; // a submodule or a directory: not part of a snapshot
    const sha256 = sha256Of(file.bytes);
    manifest[path] = { sha256, mode: file.mode, size: file.bytes.length };
    blobs.set(sha256, { kind: "bytes", bytes: file.bytes });
    read.push(path);
  }
  return read;
}

async function readWorkingFile(path: string): Promise<{ bytes: Buffer; mode: FileMode } | "deleted" | "not-a-file"> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (isNotFound(error) || (error as { code?: unknown }).code === "ENOTDIR") return "deleted";
    throw error;
  }
  if (stats.isSymbolicLink()) return { bytes: await readlink(path, { encoding: "buffer" }), mode: "120000" };
  if (!stats.isFile()) return "not-a-file";
  return { bytes: await readFile(path), mode: (stats.mode & 0o111) !== 0 ? "100755" : "100644" };
}

function fileMode(gitMode: string): FileMode {
  if (gitMode === "120000") return "120000";
  if (gitMode === "100755") return "100755";
  return "100644";
}

/** Splits git's `-z` output into its NUL-terminated records. */
export function splitNul(output: Buffer): string[] {
  const text = output.toString("utf8");
  return text === "" ? [] : text.split("\0").filter((record) => record !== "");
}
