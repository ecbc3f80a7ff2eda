import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError, type Manifest, normalizeRepoPath } from "@bernstein/core";
import pMap from "p-map";
import { runGit } from "./exec.js";
import type { BlobHashCache } from "./hash-cache.js";
import { sha256Of } from "./snapshot.js";

/** Where blob contents come from: the stack's API, or a map in tests. */
export interface BlobSource {
  getBlob(sha256: string): Promise<Uint8Array>;
}

export interface ObjectWriterOptions {
  root: string;
  /** A private scratch dir (downloaded blobs, temporary indexes). */
  scratchDir: string;
  blobs: BlobSource;
  /** Known blob ids by SHA-256, so blobs the repo already has are not downloaded. */
  cache?: BlobHashCache | undefined;
  /** Environment for `git commit-tree` (identity). */
  commitEnv?: Readonly<Record<string, string>>;
}

/**
 * Writes manifests into the repository's object database with plumbing only: blobs through
 * `git hash-object -w`, trees through a temporary index (GIT_INDEX_FILE, `update-index
 * --index-info`, `write-tree`), commits through `commit-tree`. The working tree, the real
 * index and HEAD are never touched.
 */
export function createObjectWriter(options: ObjectWriterOptions) {
  const { root, scratchDir } = options;
  const sha1Of = new Map<string, string>();
  let indexSerial = 0;

  /** Makes every blob of these manifests present in the repo. */
  async function ensureBlobs(manifests: readonly Manifest[]): Promise<{ downloaded: number }> {
    const wanted = new Set<string>();
    for (const manifest of manifests) for (const entry of Object.values(manifest)) wanted.add(entry.sha256);
    for (const sha256 of sha1Of.keys()) wanted.delete(sha256);
    // Blobs the repo already holds (known from the snapshot cache) need no download.
    const candidates = [...wanted].flatMap((sha256) => {
      const sha1 = options.cache?.sha1For(sha256);
      return sha1 ? [{ sha256, sha1 }] : [];
    });
    if (candidates.length > 0) {
      const present = await existingObjects(candidates.map((c) => c.sha1));
      for (const { sha256, sha1 } of candidates) {
        if (!present.has(sha1)) continue;
        sha1Of.set(sha256, sha1);
        wanted.delete(sha256);
      }
    }
    const missing = [...wanted];
    const files: string[] = [];
    const sizes: number[] = [];
    await pMap(
      missing.entries(),
      async ([i, sha256]) => {
        const bytes = await options.blobs.getBlob(sha256);
        if (sha256Of(bytes) !== sha256) {
          throw new BernsteinError("hash_mismatch", `blob ${sha256} downloaded from the stack has other content`);
        }
        const file = join(scratchDir, `blob-${i}`);
        await writeFile(file, bytes);
        files[i] = file;
        sizes[i] = bytes.length;
      },
      { concurrency: 8 },
    );
    if (missing.length > 0) {
      const { stdout } = await runGit(["hash-object", "-w", "--no-filters", "--stdin-paths"], {
        cwd: root,
        input: `${files.join("\n")}\n`,
      });
      const ids = stdout.toString("utf8").trim().split("\n");
      missing.forEach((sha256, i) => {
        const sha1 = ids[i] as string;
        sha1Of.set(sha256, sha1);
        options.cache?.set(sha1, { sha256, size: sizes[i] as number });
      });
    }
    return { downloaded: missing.length };
  }

  async function existingObjects(sha1s: readonly string[]): Promise<Set<string>> {
    const { stdout } = await runGit(["cat-file", "--batch-check"], { cwd: root, input: `${sha1s.join("\n")}\n` });
    const present = new Set<string>();
    for (const line of stdout.toString("utf8").split("\n")) {
      const [sha1, type] = line.split(" ");
      if (sha1 && type === "blob") present.add(sha1);
    }
    return present;
  }

  /** Writes the tree of a manifest (its blobs must be ensured) and returns the tree id. */
  async function writeTree(manifest: Manifest): Promise<string> {
    const records: string[] = [];
    for (const [path, entry] of Object.entries(manifest)) {
      // Paths come from the stack: never let one point outside the tree or into .git.
      if (normalizeRepoPath(path) !== path) {
        throw new BernsteinError("path_escape", `the result names an invalid path "${path}"`, { details: { path } });
      }
      const sha1 = sha1Of.get(entry.sha256);
      if (!sha1) throw new BernsteinError("internal", `blob ${entry.sha256} of ${path} was not written`);
      records.push(`${entry.mode} ${sha1}\t${path}\0`);
    }
    const env = { GIT_INDEX_FILE: join(scratchDir, `index-${indexSerial++}`) };
    await runGit(["update-index", "-z", "--index-info"], { cwd: root, env, input: records.join("") });
    const { stdout } = await runGit(["write-tree"], { cwd: root, env });
    return stdout.toString("utf8").trim();
  }

  /** Creates a commit object and returns its id. */
  async function commit(tree: string, parent: string | null, message: string): Promise<string> {
    const args = ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-F", "-"];
    const { stdout } = await runGit(args, { cwd: root, input: message, env: { ...options.commitEnv } });
    return stdout.toString("utf8").trim();
  }

  return { ensureBlobs, writeTree, commit };
}

export type ObjectWriter = ReturnType<typeof createObjectWriter>;
