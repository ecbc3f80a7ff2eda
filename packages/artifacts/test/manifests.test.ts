import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { canonicalJson, type Manifest } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { createArtifactStore, keys, manifestSha256, sha256Hex } from "../src/index.js";

const store = createArtifactStore(env.ARTIFACTS);

afterEach(async () => {
  await reset();
});

const entry = (sha256: string, size = 1) => ({ sha256, mode: "100644" as const, size });

describe("manifests", () => {
  it("round-trips a manifest under the hash of its canonical JSON", async () => {
    const manifest: Manifest = {
      "src/a.ts": entry("a".repeat(64)),
      "README.md": { sha256: "b".repeat(64), mode: "100755", size: 12 },
    };
    const sha = await store.putManifest(manifest);
    expect(sha).toBe(await sha256Hex(canonicalJson(manifest)));
    expect(sha).toBe(await manifestSha256(manifest));
    expect(await env.ARTIFACTS.head(keys.snapshot(sha))).not.toBeNull();
    expect(await store.getManifest(sha)).toEqual(manifest);
  });

  it("names a manifest the same whatever its key order, and stores it once", async () => {
    const a: Manifest = { x: entry("1".repeat(64)), y: entry("2".repeat(64)) };
    const b: Manifest = { y: { size: 1, mode: "100644", sha256: "2".repeat(64) }, x: entry("1".repeat(64)) };
    const shaA = await store.putManifest(a);
    const before = await env.ARTIFACTS.head(keys.snapshot(shaA));
    expect(await store.putManifest(b)).toBe(shaA);
    expect((await env.ARTIFACTS.head(keys.snapshot(shaA)))?.version).toBe(before?.version);
    expect((await env.ARTIFACTS.list({ prefix: "snapshots/" })).objects).toHaveLength(1);
  });

  it("refuses an invalid manifest and answers null for an unknown one", async () => {
    const bad = { "a.txt": { sha256: "nope", mode: "100644", size: 1 } } as unknown as Manifest;
    await expect(store.putManifest(bad)).rejects.toMatchObject({ code: "invalid_body" });
    expect(await store.getManifest("c".repeat(64))).toBeNull();
  });

  it("detects a snapshot whose content does not match its name", async () => {
    const sha = "d".repeat(64);
    await env.ARTIFACTS.put(keys.snapshot(sha), "{}");
    await expect(store.getManifest(sha)).rejects.toMatchObject({ code: "hash_mismatch" });
  });

  it("reads a stored tree back without parsing it, and a merged tree is stored as putManifest stores it", async () => {
    const manifest: Manifest = { "b.ts": entry("b".repeat(64), 3), "a.ts": entry("a".repeat(64)) };
    const sha = await store.putMergedManifest(manifest);
    expect(sha).toBe(await manifestSha256(manifest));
    expect(await env.ARTIFACTS.get(keys.snapshot(sha)).then((o) => o?.text())).toBe(canonicalJson(manifest));
    expect(await store.putManifest(manifest)).toBe(sha);
    expect(await store.getStoredManifest(sha)).toEqual(manifest);
    expect(await store.getManifest(sha)).toEqual(manifest);
    expect(await store.getStoredManifest("c".repeat(64))).toBeNull();
  });

  it("refuses, on the unparsed read too, a snapshot whose content does not match its name", async () => {
    // Content that is a valid manifest, under another tree's name: only the hash check can tell.
    const named = await store.putManifest({ "a.ts": entry("a".repeat(64)) });
    const other = canonicalJson({ "evil.ts": entry("e".repeat(64)) });
    await env.ARTIFACTS.put(keys.snapshot(named), other);
    await expect(store.getStoredManifest(named)).rejects.toMatchObject({
      code: "hash_mismatch",
      details: { expected: named, actual: await sha256Hex(other) },
    });
  });

  it("handles a 20,000-file manifest: put, get, and missingBlobs over its hashes", async ({ annotate }) => {
    const files = 20_000;
    const manifest: Manifest = {};
    const contents: string[] = [];
    for (let i = 0; i < files; i++) {
      const content = `file ${i}\n`;
      contents.push(content);
      manifest[`src/dir${i % 100}/file-${i}.ts`] = entry(await sha256Hex(content), content.length);
    }
    const stored = contents.slice(0, 300);
    for (const content of stored) await store.putBlob(content);

    let t = performance.now();
    const sha = await store.putManifest(manifest);
    const putMs = performance.now() - t;
    t = performance.now();
    const back = await store.getManifest(sha);
    const getMs = performance.now() - t;
    expect(Object.keys(back ?? {})).toHaveLength(files);
    expect(back).toEqual(manifest);

    const hashes = Object.values(manifest).map((e) => e.sha256);
    t = performance.now();
    const missing = await store.missingBlobs(hashes);
    const missingMs = performance.now() - t;
    expect(missing).toHaveLength(files - stored.length);
    expect(missing).toEqual(hashes.slice(stored.length));
    await annotate(`put ${putMs.toFixed(0)} ms, get ${getMs.toFixed(0)} ms, missingBlobs ${missingMs.toFixed(0)} ms`);
  }, 120_000);
});

describe("checking a manifest from outside", () => {
  const blob = async (text: string) => {
    const put = await store.putBlob(text);
    return { sha256: put.sha256, size: put.bytes };
  };

  it("accepts a tree whose blobs, sizes and symlinks hold", async () => {
    const a = await blob("hello\n");
    const link = await blob("src/a.txt");
    await expect(
      store.checkManifest({
        "src/a.txt": { ...a, mode: "100644" },
        link: { ...link, mode: "120000" },
      }),
    ).resolves.toBeUndefined();
  });

  it.each([
    [
      "a wrong size",
      async () => ({ "a.txt": { ...(await blob("abc")), size: 4, mode: "100644" as const } }),
      /size is 4 but its blob has 3 bytes/,
    ],
    ["a missing blob", async () => ({ "a.txt": entry("e".repeat(64)) }), /is not uploaded/],
    [
      "a file under a file",
      async () => ({
        d: { ...(await blob("x")), mode: "100644" as const },
        "d/x": { ...(await blob("y")), mode: "100644" as const },
      }),
      /file under a file/,
    ],
    [
      "a nested .git",
      async () => ({ "sub/.git/config": { ...(await blob("[core]")), mode: "100644" as const } }),
      /\.git/,
    ],
    [
      "an escaping symlink",
      async () => ({ l: { ...(await blob("../../etc/passwd")), mode: "120000" as const } }),
      /symlink that points outside/,
    ],
    [
      "an absolute symlink",
      async () => ({ l: { ...(await blob("/etc/passwd")), mode: "120000" as const } }),
      /absolute/,
    ],
  ])("refuses %s, naming the path", async (_what, build, message) => {
    const error = await store.checkManifest(await build()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_body", message: expect.stringMatching(message) });
  });
});
