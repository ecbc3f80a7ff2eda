import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";

/** A blob's file in the cache; `downloaded` when this call fetched it. */
export interface CachedBlob {
  path: string;
  downloaded: boolean;
}

/** Fetches a blob's bytes from the stack. */
export type BlobFetcher = (sha256: string) => Promise<Uint8Array>;

/**
 * Blobs on disk by content hash (`<dir>/<aa>/<sha256>`). A blob is checked against its hash
 * when it is downloaded and written atomically, so a file in the cache is always whole and
 * right, and several runners may share one cache directory.
 */
export interface BlobCache {
  readonly dir: string;
  /** The path of the blob's file, downloading it first when it is not cached (`downloaded`). */
  ensure(sha256: string): Promise<CachedBlob>;
  /** Blobs downloaded by this cache object (cache misses). */
  readonly downloads: number;
  /** Blobs found on disk (cache hits). */
  readonly hits: number;
}

/** SHA-256 of bytes, lowercase hex. */
export function sha256Of(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Opens (and creates) the blob cache in `dir`; `fetchBlob` is called on a miss. */
export function createBlobCache(dir: string, fetchBlob: BlobFetcher): BlobCache {
  const inFlight = new Map<string, Promise<CachedBlob>>();
  let downloads = 0;
  let hits = 0;

  async function load(sha256: string): Promise<CachedBlob> {
    const folder = join(dir, sha256.slice(0, 2));
    const path = join(folder, sha256);
    if (await isFile(path)) {
      hits++;
      return { path, downloaded: false };
    }
    const bytes = await fetchBlob(sha256);
    const actual = sha256Of(bytes);
    if (actual !== sha256) {
      throw new BernsteinError("hash_mismatch", `blob ${sha256} arrived with content hashing to ${actual}`, {
        details: { expected: sha256, actual },
      });
    }
    await mkdir(folder, { recursive: true, mode: 0o700 }); // the runner's own state: not for the jobs' users
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, bytes, { mode: 0o444 });
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    downloads++;
    return { path, downloaded: true };
  }

  return {
    dir,
    ensure(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) {
        return Promise.reject(new BernsteinError("bad_request", `"${sha256}" is not a SHA-256`));
      }
      const pending = inFlight.get(sha256);
      // A second caller of a blob being downloaded shares the download but did not cause it.
      if (pending) return pending.then(({ path }) => ({ path, downloaded: false }));
      const next = load(sha256).finally(() => inFlight.delete(sha256));
      inFlight.set(sha256, next);
      return next;
    },
    get downloads() {
      return downloads;
    },
    get hits() {
      return hits;
    },
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return false;
    throw error;
  }
}
