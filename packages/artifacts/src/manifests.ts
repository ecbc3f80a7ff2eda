import { BernsteinError, Manifest, parseWith } from "@bernstein/core";
import { checkManifest } from "./check-manifest.js";
import { keys } from "./keys.js";
import { manifestJson } from "./manifest-json.js";
import { sha256Hex } from "./sha256.js";

/** Snapshot manifests, named by the SHA-256 of their canonical JSON. */
export interface ManifestStore {
  /** Stores `manifest` under `snapshots/<sha>.json` (idempotent) and returns its sha. */
  putManifest(manifest: Manifest): Promise<string>;
  /**
   * `putManifest` without validating `manifest` again, for a tree built from validated trees:
   * by `mergeTrees` (its entries are theirs or blobs it wrote), or by `applyOverlay` on a stored
   * tree with an overlay validated on its own (an attempt's tree). Never for input from a
   * client or runner: that goes through `putManifest`.
   */
  putMergedManifest(manifest: Manifest): Promise<string>;
  /** The manifest named `sha256`, validated, or null when absent. */
  getManifest(sha256: string): Promise<Manifest | null>;
  /**
   * The manifest named `sha256`, or null when absent, not validated again: its content is
   * checked against its name (`hash_mismatch` otherwise), and only `putManifest` and
   * `putMergedManifest` write under that name, from valid trees.
   */
  getStoredManifest(sha256: string): Promise<Manifest | null>;
  /** Refuses (400) a manifest from outside: bad paths, a file under a file, missing blobs, wrong sizes, escaping symlinks. */
  checkManifest(manifest: Manifest): Promise<void>;
}

/** The name of a manifest: the SHA-256 of its canonical JSON (key order does not matter). */
export async function manifestSha256(manifest: Manifest): Promise<string> {
  return sha256Hex(manifestJson(manifest));
}

/** Manifest operations over one bucket. */
export function createManifestStore(bucket: R2Bucket): ManifestStore {
  const write = async (valid: Manifest): Promise<string> => {
    // Encoded once: the bytes hashed are the bytes stored.
    const body = new TextEncoder().encode(manifestJson(valid));
    const sha256 = await sha256Hex(body);
    // One conditional put, no `head` first: stored unless the name exists (then R2 answers null;
    // were the condition ignored, it would write the same bytes again under the same name).
    await bucket.put(keys.snapshot(sha256), body, {
      sha256,
      httpMetadata: { contentType: "application/json" },
      onlyIf: { etagDoesNotMatch: "*" },
    });
    return sha256;
  };

  /** The stored JSON named `sha256`, parsed but not validated, or null when absent. */
  const read = async (sha256: string): Promise<unknown> => {
    const object = await bucket.get(keys.snapshot(sha256));
    if (!object) return null;
    const body = new Uint8Array(await object.arrayBuffer());
    // The name is a promise about the content: check it, it costs one hash (of the bytes as
    // stored, so they are decoded once, not decoded and encoded again).
    const actual = await sha256Hex(body);
    if (actual !== sha256) {
      throw new BernsteinError("hash_mismatch", `snapshot ${sha256} holds content hashing to ${actual}`, {
        details: { expected: sha256, actual },
      });
    }
    return JSON.parse(new TextDecoder().decode(body));
  };

  return {
    // Async, so that an invalid manifest rejects the promise rather than throwing at the call.
    putManifest: async (manifest) => write(parseWith(Manifest, manifest, "invalid_body", "manifest")),
    putMergedManifest: (manifest) => write(manifest),

    async getManifest(sha256) {
      const value = await read(sha256);
      return value === null ? null : parseWith(Manifest, value, "internal", `snapshot ${sha256}`);
    },
    getStoredManifest: async (sha256) => (await read(sha256)) as Manifest | null,

    checkManifest: (manifest) => checkManifest(bucket, manifest),
  };
}
