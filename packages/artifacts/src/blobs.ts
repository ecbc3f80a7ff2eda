import { BernsteinError } from "@bernstein/core";
import pMap from "p-map";
import { assertSha256, keys } from "./keys.js";
import { assertByteCount, fixedLengthBody, settlePipedPut, verifyStream } from "./r2-body.js";
import { sha256Hex, toBytes } from "./sha256.js";

/** What storing a blob did: its name, its size and whether this call wrote it. */
export interface PutBlobResult {
  sha256: string;
  bytes: number;
  created: boolean;
}

/** Content-addressed file contents under `blobs/<sha256>`. */
export interface BlobStore {
  /** Stores `data` under its SHA-256; refuses (`hash_mismatch`) a body that does not hash to `expectedSha256`. */
  putBlob(data: string | ArrayBuffer | ArrayBufferView, expectedSha256?: string): Promise<PutBlobResult>;
  /** Streams a body of `bytes` bytes into R2; R2 itself verifies `expectedSha256`. */
  putBlobStream(stream: ReadableStream<Uint8Array>, expectedSha256: string, bytes: number): Promise<PutBlobResult>;
  getBlob(sha256: string): Promise<Uint8Array | null>;
  getBlobText(sha256: string): Promise<string | null>;
  getBlobStream(sha256: string): Promise<ReadableStream<Uint8Array> | null>;
  hasBlob(sha256: string): Promise<boolean>;
  /** The input hashes that are not stored, in input order, without duplicates. */
  missingBlobs(hashes: readonly string[]): Promise<string[]>;
}

// R2 `head` calls in flight at once in `missingBlobs`: enough to hide latency, few enough
// to stay well inside a Worker's limit of simultaneous open connections.
const HEAD_CONCURRENCY = 32;

/** Blob operations over one bucket. */
export function createBlobStore(bucket: R2Bucket): BlobStore {
  const exists = async (sha: string): Promise<boolean> => (await bucket.head(keys.blob(sha))) !== null;

  return {
    async putBlob(data, expectedSha256) {
      if (expectedSha256 !== undefined) assertSha256(expectedSha256, "expected sha256");
      const body = toBytes(data);
      const sha256 = await sha256Hex(body);
      if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
        throw new BernsteinError("hash_mismatch", `body hashes to ${sha256}, not ${expectedSha256}`, {
          details: { expected: expectedSha256, actual: sha256 },
        });
      }
      // Content addressing makes a stored blob immutable: never rewrite it. One conditional put,
      // no `head` first (the body is in hand): R2 answers null when the name exists.
      const put = await bucket.put(keys.blob(sha256), body, { sha256, onlyIf: { etagDoesNotMatch: "*" } });
      return { sha256, bytes: body.byteLength, created: put !== null };
    },

    async putBlobStream(stream, expectedSha256, bytes) {
      const key = keys.blob(expectedSha256);
      assertByteCount(bytes);
      if (await exists(expectedSha256)) {
        // Not rewritten, but still checked: a wrong body is refused whether or not the blob exists.
        await verifyStream(stream, expectedSha256, bytes);
        return { sha256: expectedSha256, bytes, created: false };
      }
      // R2 hashes the body as it arrives and rejects the put on a mismatch, so nothing is
      // stored and the body is never held in memory here (Miniflare enforces this too).
      const { body, piped } = fixedLengthBody(stream, bytes);
      await settlePipedPut(bucket.put(key, body, { sha256: expectedSha256 }), piped, expectedSha256);
      return { sha256: expectedSha256, bytes, created: true };
    },

    async getBlob(sha256) {
      const object = await bucket.get(keys.blob(sha256));
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },

    async getBlobText(sha256) {
      const object = await bucket.get(keys.blob(sha256));
      return object ? object.text() : null;
    },

    async getBlobStream(sha256) {
      const object = await bucket.get(keys.blob(sha256));
      return object ? object.body : null;
    },

    hasBlob: exists,

    async missingBlobs(hashes) {
      for (const sha of hashes) assertSha256(sha);
      const unique = [...new Set(hashes)];
      const present = await pMap(unique, exists, { concurrency: HEAD_CONCURRENCY });
      return unique.filter((_, i) => !present[i]);
    },
  };
}
