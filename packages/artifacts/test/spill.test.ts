import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { LIMITS } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { createArtifactStore, isSpilled, keys, sha256Hex } from "../src/index.js";

const store = createArtifactStore(env.ARTIFACTS);
const RUN = "r_0123456789ab";

afterEach(async () => {
  await reset();
});

describe("spill", () => {
  it("keeps a value at or below the threshold inline and writes nothing", async () => {
    const value = { text: "x".repeat(100) };
    const size = JSON.stringify(value).length;
    expect(await store.spill(RUN, value, size)).toEqual({ inline: value });
    expect(await store.spill(RUN, undefined)).toEqual({ inline: undefined });
    expect((await env.ARTIFACTS.list()).objects).toEqual([]);
  });

  it("moves a value over the default threshold to R2 and reads it back intact", async () => {
    const value = { lines: Array.from({ length: 20_000 }, (_, i) => `line ${i} ${"y".repeat(40)}`) };
    const json = JSON.stringify(value);
    expect(json.length).toBeGreaterThan(LIMITS.spillThresholdBytes);
    const spilled = await store.spill(RUN, value);
    expect(isSpilled(spilled)).toBe(true);
    const sha = await sha256Hex(json);
    expect(spilled).toEqual({ spilled: { key: keys.spill(RUN, sha), sha256: sha, bytes: json.length } });
    expect(JSON.stringify(spilled).length).toBeLessThan(256);
    expect(await store.unspill(spilled)).toEqual(value);
    expect(await store.unspill({ inline: 42 })).toBe(42);
  });

  it("measures the JSON in UTF-8 bytes, not UTF-16 code units", async () => {
    const value = "é".repeat(600); // 602 code units of JSON, 1,202 bytes
    const spilled = await store.spill(RUN, value, 1_000);
    expect(spilled).toMatchObject({ spilled: { bytes: 1_202 } });
    expect(await store.unspill(spilled)).toBe(value);
  });

  it("refuses a spilled value that changed or vanished", async () => {
    const spilled = await store.spill(RUN, { big: "z".repeat(2_000) }, 1_000);
    if (!isSpilled(spilled)) throw new Error("expected a spill");
    await env.ARTIFACTS.put(spilled.spilled.key, JSON.stringify({ big: "tampered" }));
    await expect(store.unspill(spilled)).rejects.toMatchObject({ code: "hash_mismatch" });
    await env.ARTIFACTS.delete(spilled.spilled.key);
    await expect(store.unspill(spilled)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses an unsafe run id", async () => {
    await expect(store.spill("../x", "v".repeat(100), 10)).rejects.toMatchObject({ code: "bad_request" });
  });
});
