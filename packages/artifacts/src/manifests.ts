import { BernsteinError, canonicalJson, Manifest, parseWith } from "@bernstein/core";
import { checkManifest } from "./check-manifest.js";
import { keys } from "./keys.js";
import { sha256Hex } from "./sha256.js";

/** Snapshot manifests, named by the SHA-256 of their canonical JSON. */
export interface ManifestStore {
  /** Stores `manifest` under `snapshots/<sha>.json` (idempotent) and returns its sha. */
  putManifest(manifest: Manifest): Promise<string>;
  /** The manifest named `sha256`, validated, or null when absent. */
  getManifest(sha256: string): Promise<Manifest | null>;
  /** Refuses (400) a manifest from outside: bad paths, a file under a file, missing blobs, wrong sizes, escaping symlinks. */
  checkManifest(manifest: Manifest): Promise<void>;
}

/** The name of a manifest: the SHA-256 of its canonical JSON (key order does not matter). */
export async function manifestSha256(manifest: Manifest): Promise<string> {
  return sha256Hex(canonicalJson(manifest));
}

/** Manifest operations over one bucket. */
export function createManifestStore(bucket: R2Bucket): ManifestStore {
  return {
    async putManifest(manifest) {
      const valid = parseWith(Manifest, manifest, "invalid_body", "manifest");
      const text = canonicalJson(valid);
      const sha256 = await sha256Hex(text);
      // One conditional put, no `head` first: stored unless the name exists (then R2 answers null;
      // were the condition ignored, it would write the same bytes again under the same name).
      await bucket.put(keys.snapshot(sha256), text, {
        sha256,
        httpMetadata: { contentType: "application/json" },
        onlyIf: { etagDoesNotMatch: "*" },
      });
      return sha256;
    },

    async getManifest(sha256) {
      const object = await bucket.get(keys.snapshot(sha256));
      if (!object) return null;
      const text = await object.text();
      // The name is a promise about the content: check it, it costs one hash.
      const actual = await sha256Hex(text);
      if (actual !== sha256) {
        throw new BernsteinError("hash_mismatch", `snapshot ${sha256} holds content hashing to ${actual}`, {
          details: { expected: sha256, actual },
        });
      }
      return parseWith(Manifest, JSON.parse(text), "internal", `snapshot ${sha256}`);
    },

    checkManifest: (manifest) => checkManifest(bucket, manifest),
  };
}
