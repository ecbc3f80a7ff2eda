import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { chmod, copyFile, lstat, mkdir, readdir, readFile, readlink, rm, rmdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { BernsteinError, checkManifestTree, type Manifest, type ManifestEntry, symlinkEscape } from "@bernstein/core";
import pMap from "p-map";
import type { BlobCache } from "./blob-cache.js";

export interface WriteTreeOptions {
  /** The job's directory: empty, or a checkout of a commit (`existing`). */
  dir: string;
  manifest: Manifest;
  cache: BlobCache;
  /** The dir already holds a tree: keep files that match the manifest, delete the others. */
  existing?: boolean;
  /** Files written at once (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface WriteTreeStats {
  /** Entries of the manifest. */
  files: number;
  /** Files written from the blob cache. */
  written: number;
  /** Files of the existing tree that already matched. */
  kept: number;
  /** Files of the existing tree that are not in the manifest. */
  deleted: number;
  /** Blobs downloaded for this tree (the others came from the cache). */
  downloaded: number;
}

const MODE_BITS = { "100644": 0o644, "100755": 0o755 } as const;

/**
 * Makes `dir` hold exactly the manifest's tree: regular files with their executable bit,
 * symlinks whose blob is the target. With `existing`, what is on disk is compared by size and
 * SHA-256 (what git checked out may differ from its blobs through filters), so only the
 * differences are downloaded. A top-level `.git` (a worktree's pointer) is left alone.
 */
export async function writeTree(options: WriteTreeOptions): Promise<WriteTreeStats> {
  const { dir, manifest } = options;
  const paths = checkManifestPaths(manifest);
  const concurrency = options.concurrency ?? 16;
  let toWrite = paths;
  let kept = 0;
  let deleted = 0;
  if (options.existing) {
    const onDisk = await walk(dir);
    const stale: string[] = [];
    const unchanged = new Set<string>();
    await pMap(
      onDisk,
      async (path) => {
        options.signal?.throwIfAborted();
        const entry = manifest[path];
        if (entry === undefined) stale.push(path);
        else if (await matches(join(dir, path), entry)) unchanged.add(path);
      },
      { concurrency },
    );
    for (const path of stale) await rm(join(dir, path), { force: true });
    await removeEmptyDirs(dir, stale);
    deleted = stale.length;
    kept = unchanged.size;
    toWrite = paths.filter((path) => !unchanged.has(path));
  }
  let downloaded = 0;
  await pMap(
    toWrite,
    async (path) => {
      options.signal?.throwIfAborted();
      const blob = await options.cache.ensure((manifest[path] as ManifestEntry).sha256);
      if (blob.downloaded) downloaded++;
      await writeEntry(dir, path, manifest[path] as ManifestEntry, blob.path, Boolean(options.existing));
    },
    { concurrency },
  );
  return { files: paths.length, written: toWrite.length, kept, deleted, downloaded };
}

/** Writes one manifest entry at `dir/path` from its cached blob (`replace`: remove what is there first). */
export async function writeEntry(
  dir: string,
  path: string,
  entry: ManifestEntry,
  source: string,
  replace: boolean,
): Promise<void> {
  const target = join(dir, path);
  if (replace) await rm(target, { recursive: true, force: true });
  await mkdir(dirname(target), { recursive: true });
  if (entry.mode === "120000") {
    const link = await readFile(source, "utf8");
    const escapes = symlinkEscape(path, link);
    if (escapes) {
      throw new BernsteinError("path_escape", `the symlink "${path}" ${escapes}`, { details: { path } });
    }
    await symlink(link, target);
    return;
  }
  // EXCL: never write through something that appeared at the path (a symlink would be followed).
  await copyFile(source, target, constants.COPYFILE_EXCL);
  await chmod(target, MODE_BITS[entry.mode]);
}

/** Whether the file at `path` already is `entry` (type, executable bit, size, content). */
export async function matches(path: string, entry: ManifestEntry): Promise<boolean> {
  const stats = await lstat(path);
  if (entry.mode === "120000") {
    return stats.isSymbolicLink() && sha256(await readlink(path, { encoding: "buffer" })) === entry.sha256;
  }
  if (!stats.isFile() || stats.size !== entry.size) return false;
  if (((stats.mode & 0o111) !== 0) !== (entry.mode === "100755")) return false;
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex") === entry.sha256;
}

/**
 * The manifest's paths, sorted, after refusing any that would write outside the directory
 * (absolute, `..`, a `.git` component at any depth in any case, not normalised) or that name a
 * file as another file's folder (core's `checkManifestTree`).
 */
export function checkManifestPaths(manifest: Manifest): string[] {
  return checkManifestTree(manifest, "path_escape");
}

/** Repo-relative paths of the files and symlinks under `dir`, not descending into `.git`. */
async function walk(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (rel === ".git") continue;
    if (entry.isDirectory()) found.push(...(await walk(dir, rel)));
    else found.push(rel);
  }
  return found;
}

/** Removes the folders that deleting `removed` left empty, deepest first, never `dir` itself. */
export async function removeEmptyDirs(dir: string, removed: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const path of removed) {
    for (let at = path.lastIndexOf("/"); at > 0; at = path.lastIndexOf("/", at - 1)) folders.add(path.slice(0, at));
  }
  const deepestFirst = [...folders].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const folder of deepestFirst) {
    if ((await readdir(join(dir, folder))).length === 0) await rmdir(join(dir, folder));
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
