import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isNotFound } from "../stack/stack-file.js";

/** A blob's SHA-256 and size, as the snapshot needs them. */
export interface BlobHash {
  sha256: string;
  size: number;
}

/**
 * git blob id (SHA-1) -> SHA-256 and size, kept in `<cache>/blob-hashes.tsv`. A git blob id
 * names its content forever, so entries never go stale: a second snapshot of the same repo
 * reads only blobs it has not seen.
 */
export interface BlobHashCache {
  get(sha1: string): BlobHash | undefined;
  set(sha1: string, hash: BlobHash): void;
  /** A git blob id known to hold this SHA-256 (for `pull`, to skip a download). */
  sha1For(sha256: string): string | undefined;
  /** Writes the file if anything was added (atomically, so readers never see half a file). */
  save(): Promise<void>;
}

const FILE = "blob-hashes.tsv";
const LINE = /^([0-9a-f]{40}|[0-9a-f]{64})\t([0-9a-f]{64})\t(\d+)$/;

/** Loads the cache of `dir` (empty when there is none yet). */
export async function loadBlobHashCache(dir: string): Promise<BlobHashCache> {
  const path = join(dir, FILE);
  const bySha1 = new Map<string, BlobHash>();
  const bySha256 = new Map<string, string>();
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue; // a torn or foreign line costs one re-hash, nothing more
    const [, sha1, sha256, size] = m as unknown as [string, string, string, string];
    bySha1.set(sha1, { sha256, size: Number(size) });
    bySha256.set(sha256, sha1);
  }
  let dirty = false;
  return {
    get: (sha1) => bySha1.get(sha1),
    set(sha1, hash) {
      if (bySha1.get(sha1)?.sha256 === hash.sha256) return;
      bySha1.set(sha1, hash);
      bySha256.set(hash.sha256, sha1);
      dirty = true;
    },
    sha1For: (sha256) => bySha256.get(sha256),
    async save() {
      if (!dirty) return;
      await mkdir(dir, { recursive: true });
      const body = [...bySha1].map(([sha1, h]) => `${sha1}\t${h.sha256}\t${h.size}\n`).join("");
      const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, path);
      dirty = false;
    },
  };
}
