import type { BigIntStats } from "node:fs";
import { lstat, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FileMode, Manifest, ManifestEntry } from "@bernstein/core";
import pMap from "p-map";
import type { BlobCache } from "../blob-cache.js";
import { checkManifestPaths, matches, removeEmptyDirs, writeEntry } from "../write-tree.js";

/**
 * What the workspace knows about a tracked file it wrote (or found matching): its content, and
 * the file's identity on disk right after. A file whose inode, size and ctime are still those is
 * untouched since (ctime moves on every write and chmod, and no tool can set it back).
 */
export interface FileRecord {
  sha256: string;
  mode: FileMode;
  ino: string;
  size: string;
  ctimeNs: string;
}

export interface SyncTreeOptions {
  /** The workspace's tree. */
  dir: string;
  manifest: Manifest;
  /** The records of the last sync (empty for a new or seeded directory: every file is hashed). */
  previous: Readonly<Record<string, FileRecord>>;
  cache: BlobCache;
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * Awaited once, before the first file is written or deleted (never when the tree is already
   * right): the workspace records there that the sync is under way.
   */
  beforeChange?: () => Promise<void>;
}

export interface SyncStats {
  /** Entries of the manifest. */
  files: number;
  /** Files written from the blob cache (new, changed, or changed on disk by a job). */
  written: number;
  /** Files already right on disk. */
  kept: number;
  /** Tracked files of the last sync that the manifest no longer has. */
  deleted: number;
  /** Blobs downloaded for this sync (the others came from the disk cache). */
  downloaded: number;
}

/**
 * Makes the tracked files of `dir` exactly the manifest's: files the last sync wrote and nobody
 * touched since are kept without reading them, others are compared by content, and only what
 * differs is written; tracked files the manifest dropped are deleted. Untracked files
 * (node_modules, .venv, target, build outputs) are left where they are, so a job never sees
 * another job's changes to tracked files but keeps what setup installed.
 */
export async function syncTree(
  options: SyncTreeOptions,
): Promise<{ stats: SyncStats; records: Record<string, FileRecord> }> {
  const { dir, manifest, previous } = options;
  const paths = checkManifestPaths(manifest);
  const concurrency = options.concurrency ?? 16;
  let changing: Promise<void> | undefined;
  const beforeChange = () => {
    changing ??= options.beforeChange?.() ?? Promise.resolve();
    return changing;
  };
  const dropped = Object.keys(previous).filter((path) => manifest[path] === undefined);
  if (dropped.length > 0) await beforeChange();
  for (const path of dropped) await rm(join(dir, path), { recursive: true, force: true });
  await removeEmptyDirs(dir, dropped);

  const records: Record<string, FileRecord> = {};
  let written = 0;
  let downloaded = 0;
  await pMap(
    paths,
    async (path) => {
      options.signal?.throwIfAborted();
      const want = manifest[path] as ManifestEntry;
      const target = join(dir, path);
      const onDisk = await statOf(target);
      const known = previous[path];
      if (onDisk && known && untouched(onDisk, known) && known.sha256 === want.sha256 && known.mode === want.mode) {
        records[path] = known;
        return;
      }
      if (onDisk && (await safeParents(dir, path)) && (await matches(target, want))) {
        records[path] = recordOf(want, onDisk);
        return;
      }
      await beforeChange();
      await clearParents(dir, path);
      const blob = await options.cache.ensure(want.sha256);
      if (blob.downloaded) downloaded++;
      await writeEntry(dir, path, want, blob.path, true);
      written++;
      records[path] = recordOf(want, (await statOf(target)) as BigIntStats);
    },
    { concurrency },
  );
  const stats = { files: paths.length, written, kept: paths.length - written, deleted: dropped.length, downloaded };
  return { stats, records };
}

function untouched(stats: BigIntStats, known: FileRecord): boolean {
  return (
    String(stats.ino) === known.ino && String(stats.size) === known.size && String(stats.ctimeNs) === known.ctimeNs
  );
}

function recordOf(entry: ManifestEntry, stats: BigIntStats): FileRecord {
  return {
    sha256: entry.sha256,
    mode: entry.mode,
    ino: String(stats.ino),
    size: String(stats.size),
    ctimeNs: String(stats.ctimeNs),
  };
}

async function statOf(path: string): Promise<BigIntStats | null> {
  try {
    return await lstat(path, { bigint: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/** True when every folder above `path` is a real directory (a job may have put a symlink or a file there). */
async function safeParents(dir: string, path: string): Promise<boolean> {
  for (let at = path.indexOf("/"); at !== -1; at = path.indexOf("/", at + 1)) {
    const stats = await statOf(join(dir, path.slice(0, at)));
    if (!stats?.isDirectory()) return false;
  }
  return true;
}

/**
 * Removes whatever stands where a folder above `path` must be: an untracked file or a symlink a
 * job left there (writing through a symlink could land outside the workspace).
 */
async function clearParents(dir: string, path: string): Promise<void> {
  for (let at = path.indexOf("/"); at !== -1; at = path.indexOf("/", at + 1)) {
    const parent = join(dir, path.slice(0, at));
    const stats = await statOf(parent);
    if (stats === null) break;
    if (!stats.isDirectory()) {
      await rm(parent, { force: true });
      break;
    }
  }
  await mkdir(dirname(join(dir, path)), { recursive: true });
}
