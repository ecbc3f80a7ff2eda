import { createHash } from "node:crypto";
import { BernsteinError, canonicalJson, type Manifest, type RunResult } from "@bernstein/core";
import type { PullApi } from "../../src/git/pull.js";
import type { SnapshotUploadApi } from "../../src/git/upload.js";

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/**
 * The blob and snapshot store of a stack, in memory: the same contract as the orchestrator's
 * routes (content-addressed blobs checked on PUT, manifests named by the hash of their
 * canonical JSON), so snapshot upload and pull can be tested against real git without a stack.
 */
export function memoryStack() {
  const blobs = new Map<string, Uint8Array>();
  const snapshots = new Map<string, Manifest>();
  const puts: string[] = [];
  const downloads: string[] = [];
  const results = new Map<string, RunResult>();

  const api: SnapshotUploadApi & PullApi = {
    async missingBlobs(hashes) {
      return hashes.filter((hash) => !blobs.has(hash));
    },
    async putBlob(hash, bytes) {
      if (sha256(bytes) !== hash) throw new BernsteinError("hash_mismatch", `body does not hash to ${hash}`);
      blobs.set(hash, Uint8Array.from(bytes));
      puts.push(hash);
      return { sha256: hash, bytes: bytes.length };
    },
    async createSnapshot(manifest) {
      for (const entry of Object.values(manifest)) {
        if (!blobs.has(entry.sha256)) throw new BernsteinError("bad_request", `blob ${entry.sha256} missing`);
      }
      const hash = sha256(canonicalJson(manifest));
      snapshots.set(hash, manifest);
      return { sha256: hash, files: Object.keys(manifest).length };
    },
    async getSnapshot(hash) {
      const manifest = snapshots.get(hash);
      if (!manifest) throw new BernsteinError("not_found", `no snapshot ${hash}`);
      return { sha256: hash, manifest };
    },
    async getBlob(hash) {
      const bytes = blobs.get(hash);
      if (!bytes) throw new BernsteinError("not_found", `no blob ${hash}`);
      downloads.push(hash);
      return bytes;
    },
    async getResult(runId) {
      const result = results.get(runId);
      if (!result) throw new BernsteinError("not_found", `no run ${runId}`);
      return result;
    },
  };

  /** Stores files as blobs and their manifest; returns the manifest hash. */
  function storeTree(files: Record<string, { content: string; mode?: "100644" | "100755" | "120000" }>): string {
    const manifest: Manifest = {};
    for (const [path, { content, mode }] of Object.entries(files)) {
      const bytes = new TextEncoder().encode(content);
      const hash = sha256(bytes);
      blobs.set(hash, bytes);
      manifest[path] = { sha256: hash, mode: mode ?? "100644", size: bytes.length };
    }
    const hash = sha256(canonicalJson(manifest));
    snapshots.set(hash, manifest);
    return hash;
  }

  return { api, blobs, snapshots, puts, downloads, results, storeTree, manifestOf: (h: string) => snapshots.get(h) };
}
