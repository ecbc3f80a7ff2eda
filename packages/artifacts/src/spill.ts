import { BernsteinError, LIMITS } from "@bernstein/core";
import { assertKey, keys } from "./keys.js";
import { sha256Hex } from "./sha256.js";

/** Where a spilled value lives in R2. */
export interface SpillPointer {
  key: string;
  sha256: string;
  bytes: number;
}

/** A value small enough to travel inline, or a pointer to its JSON in R2. */
export type Spilled<T> = { inline: T } | { spilled: SpillPointer };

/** Moves values too large for a Workflow step result or event payload to R2 and back. */
export interface SpillStore {
  /** `{inline: value}` when its JSON is at most `thresholdBytes` UTF-8 bytes, else stores it under `keys.spill`. */
  spill<T>(runId: string, value: T, thresholdBytes?: number): Promise<Spilled<T>>;
  /** The value back: inline as is, or read from R2 and checked against its hash. */
  unspill<T>(spilled: Spilled<T>): Promise<T>;
}

/** True when `value` is a spill pointer rather than an inline value. */
export function isSpilled<T>(value: Spilled<T>): value is { spilled: SpillPointer } {
  return "spilled" in value;
}

/** Spill operations over one bucket. */
export function createSpillStore(bucket: R2Bucket): SpillStore {
  return {
    async spill<T>(runId: string, value: T, thresholdBytes: number = LIMITS.spillThresholdBytes): Promise<Spilled<T>> {
      const json = JSON.stringify(value);
      // `undefined` (and functions) have no JSON form: they stay inline, where they cost nothing.
      if (json === undefined) return { inline: value };
      const body = new TextEncoder().encode(json);
      if (body.byteLength <= thresholdBytes) return { inline: value };
      const sha256 = await sha256Hex(body);
      const key = keys.spill(runId, sha256);
      // One conditional put, no `head` first: stored unless the name (the content's hash) exists.
      await bucket.put(key, body, {
        sha256,
        httpMetadata: { contentType: "application/json" },
        onlyIf: { etagDoesNotMatch: "*" },
      });
      return { spilled: { key, sha256, bytes: body.byteLength } };
    },

    async unspill<T>(spilled: Spilled<T>): Promise<T> {
      if (!isSpilled(spilled)) return spilled.inline;
      const { key, sha256 } = spilled.spilled;
      assertKey(key);
      const object = await bucket.get(key);
      if (!object) throw new BernsteinError("not_found", `spilled value ${key} is gone`, { details: { key } });
      const text = await object.text();
      const actual = await sha256Hex(text);
      if (actual !== sha256) {
        throw new BernsteinError("hash_mismatch", `spilled value ${key} hashes to ${actual}, not ${sha256}`, {
          details: { key, expected: sha256, actual },
        });
      }
      return JSON.parse(text) as T;
    },
  };
}
