import { execFileSync } from "node:child_process";
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BernsteinError, canonicalJson, type FileMode, type Manifest } from "@bernstein/core";
import { sha256Of } from "../blob-cache.js";

export interface FileSpec {
  content: string | Uint8Array;
  mode?: FileMode;
}

/**
 * Blobs and manifests held in memory, as the stack holds them in R2 (content-addressed, the
 * manifest named by the hash of its canonical JSON). It feeds `materialise` in unit tests;
 * the real stack's routes are exercised by test/*.test.ts.
 */
export function blobStore() {
  const blobs = new Map<string, Uint8Array>();
  const manifests = new Map<string, Manifest>();
  const fetched: string[] = [];
  return {
    blobs,
    fetched,
    /** Stores files and their manifest; returns the manifest and its hash. */
    tree(files: Record<string, FileSpec>): { manifest: Manifest; sha256: string } {
      const manifest: Manifest = {};
      for (const [path, spec] of Object.entries(files)) {
        const bytes = typeof spec.content === "string" ? new TextEncoder().encode(spec.content) : spec.content;
        const sha = sha256Of(bytes);
        blobs.set(sha, bytes);
        manifest[path] = { sha256: sha, mode: spec.mode ?? "100644", size: bytes.length };
      }
      const sha256 = sha256Of(canonicalJson(manifest));
      manifests.set(sha256, manifest);
      return { manifest, sha256 };
    },
    async fetchBlob(sha: string): Promise<Uint8Array> {
      const bytes = blobs.get(sha);
      if (!bytes) throw new BernsteinError("not_found", `no blob ${sha}`);
      fetched.push(sha);
      return bytes;
    },
    async loadManifest(sha: string): Promise<Manifest> {
      const manifest = manifests.get(sha);
      if (!manifest) throw new BernsteinError("not_found", `no snapshot ${sha}`);
      return manifest;
    },
  };
}

/** What is on disk under `dir` as a manifest (skipping a top-level `.git`). */
export async function manifestOfDir(dir: string, prefix = ""): Promise<Manifest> {
  const manifest: Manifest = {};
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (rel === ".git") continue;
    const path = join(dir, rel);
    if (entry.isDirectory()) {
      Object.assign(manifest, await manifestOfDir(dir, rel));
      continue;
    }
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) {
      const target = await readlink(path, { encoding: "buffer" });
      manifest[rel] = { sha256: sha256Of(target), mode: "120000", size: target.length };
    } else {
      const bytes = await readFile(path);
      manifest[rel] = { sha256: sha256Of(bytes), mode: stats.mode & 0o100 ? "100755" : "100644", size: bytes.length };
    }
  }
  return manifest;
}

/** A temporary directory removed by the returned function. */
export async function tempDir(prefix = "runner-test-"): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs git in `cwd` (tests only: synchronous, throws on failure). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  }).trim();
}
