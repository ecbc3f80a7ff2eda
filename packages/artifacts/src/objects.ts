import { BernsteinError, parseWith } from "@bernstein/core";
import { assertKey } from "./keys.js";
import { fixedLengthBody, settlePipedPut } from "./r2-body.js";
import type { Infer, Schema } from "./schema.js";

/** What R2 knows about a stored object. */
export interface ArtifactInfo {
  key: string;
  bytes: number;
  etag: string;
  uploaded: Date;
}

/** Plain objects under keys built by `keys`: JSON, text, streams. */
export interface ObjectStore {
  putJson(key: string, value: unknown): Promise<ArtifactInfo>;
  /** The parsed JSON at `key` (validated with `schema` when given), or null when absent. */
  getJson(key: string): Promise<unknown>;
  getJson<S extends Schema>(key: string, schema: S): Promise<Infer<S> | null>;
  putText(key: string, text: string): Promise<ArtifactInfo>;
  getText(key: string): Promise<string | null>;
  /** Streams `bytes` bytes to `key` without buffering them. */
  putStream(key: string, stream: ReadableStream<Uint8Array>, bytes: number): Promise<ArtifactInfo>;
  getStream(key: string): Promise<ReadableStream<Uint8Array> | null>;
  head(key: string): Promise<ArtifactInfo | null>;
  /** Every object whose key starts with `prefix`, in key order (follows R2's pagination). */
  list(prefix: string): Promise<ArtifactInfo[]>;
}

const JSON_TYPE = { contentType: "application/json" };
const TEXT_TYPE = { contentType: "text/plain; charset=utf-8" };
const BYTES_TYPE = { contentType: "application/octet-stream" };

/** Object operations over one bucket. */
export function createObjectStore(bucket: R2Bucket): ObjectStore {
  const getText = async (key: string): Promise<string | null> => {
    assertKey(key);
    const object = await bucket.get(key);
    return object ? object.text() : null;
  };

  async function getJson(key: string): Promise<unknown>;
  async function getJson<S extends Schema>(key: string, schema: S): Promise<Infer<S> | null>;
  async function getJson(key: string, schema?: Schema): Promise<unknown> {
    const text = await getText(key);
    if (text === null) return null;
    const value = parseJson(text, key);
    // A stored object that fails its schema was written by a bug (or by hand): not the caller's fault.
    return schema ? parseWith(schema, value, "internal", `object ${key}`) : value;
  }

  return {
    async putJson(key, value) {
      assertKey(key);
      const text = JSON.stringify(value);
      if (text === undefined) throw new BernsteinError("bad_request", `cannot store ${typeof value} as JSON at ${key}`);
      return info(await bucket.put(key, text, { httpMetadata: JSON_TYPE }));
    },
    getJson,
    async putText(key, text) {
      assertKey(key);
      return info(await bucket.put(key, text, { httpMetadata: TEXT_TYPE }));
    },
    getText,
    async putStream(key, stream, bytes) {
      assertKey(key);
      const { body, piped } = fixedLengthBody(stream, bytes);
      return info(await settlePipedPut(bucket.put(key, body, { httpMetadata: BYTES_TYPE }), piped));
    },
    async getStream(key) {
      assertKey(key);
      const object = await bucket.get(key);
      return object ? object.body : null;
    },
    async head(key) {
      assertKey(key);
      const object = await bucket.head(key);
      return object ? info(object) : null;
    },
    async list(prefix) {
      assertKey(prefix, { prefix: true });
      const out: ArtifactInfo[] = [];
      let cursor: string | undefined;
      do {
        const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
        out.push(...page.objects.map(info));
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
      return out;
    },
  };
}

function info(object: R2Object): ArtifactInfo {
  return { key: object.key, bytes: object.size, etag: object.etag, uploaded: object.uploaded };
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BernsteinError("internal", `object ${key} is not valid JSON`, { cause });
  }
}
