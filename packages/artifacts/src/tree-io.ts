import { BernsteinError, type ManifestEntry } from "@bernstein/core";
import { decodeText } from "./binary.js";
import type { BlobStore } from "./blobs.js";

/** Reads a blob as text for `unifiedDiff`/`mergeTrees`. */
export type ReadText = (sha256: string) => Promise<string | null>;
/** Stores merged text and names it, for `mergeTrees`. */
export type WriteText = (text: string) => Promise<ManifestEntry>;

/**
 * A `ReadText` over stored blobs: the text, null for binary content, and `not_found` when the
 * blob is missing (a tree that names a missing blob is broken, not binary).
 */
export function blobTextReader(store: Pick<BlobStore, "getBlob">): ReadText {
  return async (sha256) => {
    const bytes = await store.getBlob(sha256);
    if (bytes === null) throw new BernsteinError("not_found", `blob ${sha256} is not stored`, { details: { sha256 } });
    return decodeText(bytes);
  };
}

/** A `WriteText` that stores text as a blob and names it as a regular file (`100644`). */
export function blobTextWriter(store: Pick<BlobStore, "putBlob">): WriteText {
  return async (text) => {
    const { sha256, bytes } = await store.putBlob(text);
    return { sha256, mode: "100644", size: bytes };
  };
}
