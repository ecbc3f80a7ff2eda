import type { ArtifactStore } from "@bernstein/artifacts";

/** Blobs remembered: each at most this many bytes, all together at most `TOTAL_BYTES`. */
const BLOB_BYTES = 256 * 1024;
const TOTAL_BYTES = 8 * 1024 * 1024;

/**
 * The store, remembering the blobs this run of the workflow wrote (small ones, up to a total),
 * so reading one back (the patch's diff of a file the attempt wrote, a `read_file` after a
 * `write_file`) needs no R2 get. Blobs are named by their content, so a remembered one is what
 * R2 holds; anything else is read from R2 as before.
 */
export function rememberWrittenBlobs(store: ArtifactStore): ArtifactStore {
  const written = new Map<string, Uint8Array>();
  let total = 0;
  const recall = (sha256: string) => written.get(sha256);
  return {
    ...store,
    async putBlob(data, expectedSha256) {
      const result = await store.putBlob(data, expectedSha256);
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : toBytes(data);
      if (bytes.byteLength <= BLOB_BYTES && total + bytes.byteLength <= TOTAL_BYTES && !written.has(result.sha256)) {
        written.set(result.sha256, bytes.slice());
        total += bytes.byteLength;
      }
      return result;
    },
    async getBlob(sha256) {
      const bytes = recall(sha256);
      return bytes ? bytes.slice() : store.getBlob(sha256);
    },
    async getBlobText(sha256) {
      const bytes = recall(sha256);
      // Decoded as R2's `text()` decodes (UTF-8, invalid sequences replaced), so both read alike.
      return bytes ? new TextDecoder().decode(bytes) : store.getBlobText(sha256);
    },
  };
}

function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
