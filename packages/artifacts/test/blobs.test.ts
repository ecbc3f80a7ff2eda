import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createArtifactStore, keys, sha256Hex } from "../src/index.js";
import { digestStream, patternStream, streamOf } from "./helpers.js";

const store = createArtifactStore(env.ARTIFACTS);
const HELLO_SHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

afterEach(async () => {
  await reset();
});

describe("sha256Hex", () => {
  it("hashes strings as UTF-8 and binary data as is", async () => {
    expect(await sha256Hex("hello")).toBe(HELLO_SHA);
    expect(await sha256Hex(new TextEncoder().encode("hello"))).toBe(HELLO_SHA);
    const buffer = new ArrayBuffer(6);
    new Uint8Array(buffer).set(new TextEncoder().encode("xhello"));
    expect(await sha256Hex(buffer)).toBe(await sha256Hex("xhello"));
    expect(await sha256Hex(new TextEncoder().encode("xhello").subarray(1))).toBe(HELLO_SHA);
  });
});

describe("putBlob", () => {
  it("stores content under its hash once and never rewrites it", async () => {
    const first = await store.putBlob("hello");
    expect(first).toEqual({ sha256: HELLO_SHA, bytes: 5, created: true });
    const stored = await env.ARTIFACTS.head(keys.blob(HELLO_SHA));
    const again = await store.putBlob(new TextEncoder().encode("hello"), HELLO_SHA);
    expect(again).toEqual({ sha256: HELLO_SHA, bytes: 5, created: false });
    const after = await env.ARTIFACTS.head(keys.blob(HELLO_SHA));
    expect(after?.version).toBe(stored?.version);
    expect(await store.getBlobText(HELLO_SHA)).toBe("hello");
    expect(await store.getBlob(HELLO_SHA)).toEqual(new TextEncoder().encode("hello"));
    expect(await store.hasBlob(HELLO_SHA)).toBe(true);
  });

  it("costs one R2 call whether the blob is new or already stored", async () => {
    const calls: string[] = [];
    // The real bucket, with each call it gets written down.
    const counted = new Proxy(env.ARTIFACTS, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return value.apply(target, args);
        };
      },
    });
    const countedStore = createArtifactStore(counted);
    expect((await countedStore.putBlob("counted")).created).toBe(true);
    expect((await countedStore.putBlob("counted")).created).toBe(false);
    expect(calls).toEqual(["put", "put"]);
    expect(await store.getBlobText(await sha256Hex("counted"))).toBe("counted");
  });

  it("refuses a body that does not match the claimed hash and stores nothing", async () => {
    const claimed = await sha256Hex("something else");
    await expect(store.putBlob("hello", claimed)).rejects.toMatchObject({ code: "hash_mismatch" });
    expect((await env.ARTIFACTS.list()).objects).toEqual([]);
  });

  it("refuses a malformed hash with bad_request", async () => {
    await expect(store.putBlob("hello", "abc")).rejects.toMatchObject({ code: "bad_request" });
    await expect(store.getBlob("../plan.json")).rejects.toMatchObject({ code: "bad_request" });
  });

  it("answers null for blobs that are not stored", async () => {
    expect(await store.getBlob(HELLO_SHA)).toBeNull();
    expect(await store.getBlobText(HELLO_SHA)).toBeNull();
    expect(await store.getBlobStream(HELLO_SHA)).toBeNull();
    expect(await store.hasBlob(HELLO_SHA)).toBe(false);
  });
});

describe("putBlobStream", () => {
  it("streams 20 MiB in and out with the hash verified", async () => {
    const size = 20 * 1024 * 1024;
    const expected = await digestStream(patternStream(size, 7));
    const put = await store.putBlobStream(patternStream(size, 7), expected.sha256, size);
    expect(put).toEqual({ sha256: expected.sha256, bytes: size, created: true });
    const head = await env.ARTIFACTS.head(keys.blob(expected.sha256));
    expect(head?.size).toBe(size);
    const body = await store.getBlobStream(expected.sha256);
    expect(body).not.toBeNull();
    expect(await digestStream(body as ReadableStream<Uint8Array>)).toEqual(expected);
  });

  it("lets R2 refuse a 20 MiB body whose hash differs, leaving nothing behind", async () => {
    const size = 20 * 1024 * 1024;
    const other = await digestStream(patternStream(size, 8));
    await expect(store.putBlobStream(patternStream(size, 7), other.sha256, size)).rejects.toMatchObject({
      code: "hash_mismatch",
    });
    expect((await env.ARTIFACTS.list()).objects).toEqual([]);
  });

  it("refuses a body shorter or longer than declared", async () => {
    await expect(store.putBlobStream(streamOf("hel", "lo"), HELLO_SHA, 6)).rejects.toMatchObject({
      code: "hash_mismatch",
    });
    await expect(store.putBlobStream(streamOf("hello", "!"), HELLO_SHA, 5)).rejects.toMatchObject({
      code: "hash_mismatch",
    });
    expect((await env.ARTIFACTS.list()).objects).toEqual([]);
  });

  it("is idempotent, but still refuses a wrong body for a blob that exists", async () => {
    expect((await store.putBlobStream(streamOf("hel", "lo"), HELLO_SHA, 5)).created).toBe(true);
    expect((await store.putBlobStream(streamOf("hello"), HELLO_SHA, 5)).created).toBe(false);
    await expect(store.putBlobStream(streamOf("HELLO"), HELLO_SHA, 5)).rejects.toMatchObject({
      code: "hash_mismatch",
    });
    expect(await store.getBlobText(HELLO_SHA)).toBe("hello");
  });
});

describe("missingBlobs", () => {
  it("returns the hashes not stored, in input order, without duplicates", async () => {
    const a = (await store.putBlob("a")).sha256;
    const b = await sha256Hex("b");
    const c = await sha256Hex("c");
    expect(await store.missingBlobs([c, a, b, c, a, b])).toEqual([c, b]);
    expect(await store.missingBlobs([])).toEqual([]);
    await expect(store.missingBlobs([a, "nope"])).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("putStream", () => {
  it("stores nothing when the body is longer than declared, even if the first bytes fit", async () => {
    const key = keys.plan("r_0123456789ab");
    await expect(store.putStream(key, streamOf("{}", "trailing"), 2)).rejects.toMatchObject({ code: "hash_mismatch" });
    expect(await store.head(key)).toBeNull();
  });
});
