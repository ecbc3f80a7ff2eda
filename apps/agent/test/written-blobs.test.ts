import { env } from "cloudflare:test";
import { createArtifactStore, keys } from "@bernstein/artifacts";
import { describe, expect, it } from "vitest";
import { rememberWrittenBlobs } from "../src/agent/written-blobs.js";

// The R2 object is deleted behind the store's back: what is still read came from memory.
describe("rememberWrittenBlobs", () => {
  it("reads a blob it wrote back without R2, as bytes and as text", async () => {
    const store = rememberWrittenBlobs(createArtifactStore(env.ARTIFACTS));
    const text = `remembered ${crypto.randomUUID()}\n`;
    const blob = await store.putBlob(text);
    expect(await env.ARTIFACTS.head(keys.blob(blob.sha256))).not.toBeNull();
    await env.ARTIFACTS.delete(keys.blob(blob.sha256));
    expect(await store.getBlobText(blob.sha256)).toBe(text);
    expect(new TextDecoder().decode((await store.getBlob(blob.sha256)) ?? new Uint8Array())).toBe(text);
  });

  it("reads from R2 what it did not write, and does not remember a large blob", async () => {
    const plain = createArtifactStore(env.ARTIFACTS);
    const store = rememberWrittenBlobs(plain);
    const other = await plain.putBlob(`written elsewhere ${crypto.randomUUID()}`);
    expect(await store.getBlobText(other.sha256)).toMatch(/^written elsewhere /);
    const large = await store.putBlob(`${"x".repeat(300 * 1024)}${crypto.randomUUID()}`);
    await env.ARTIFACTS.delete(keys.blob(large.sha256));
    expect(await store.getBlobText(large.sha256)).toBeNull();
  });
});
