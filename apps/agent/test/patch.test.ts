import { env } from "cloudflare:test";
import { createArtifactStore, keys, manifestSha256 } from "@bernstein/artifacts";
import type { CompletionSignal, Manifest } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { makePatch } from "../src/agent/patch.js";
import { Workspace } from "../src/agent/workspace.js";

const store = createArtifactStore(env.ARTIFACTS);
let next = 0;

async function file(text: string) {
  const blob = await store.putBlob(text);
  return { sha256: blob.sha256, mode: "100644" as const, size: blob.bytes };
}

function attempt(completionSignals: CompletionSignal[], baseManifest = "0".repeat(64)) {
  const taskId = `t${next++}`;
  return {
    baseManifest,
    runId: "r_0123456789ab",
    taskId,
    attempt: 1,
    task: { title: "t", description: "d", role: "code", ownedFiles: [], completionSignals },
  };
}

describe("makePatch: the attempt's tree, its diff and its completion signals", () => {
  it("stores the tree and the diff, and checks the signals on the tree it made", async () => {
    const base: Manifest = { "README.md": await file("# Calc\n") };
    const ws = new Workspace(store, base, {});
    await ws.write("src/add.js", "export const add = (a, b) => a + b;\n");
    const ctx = attempt([
      { type: "path_exists", value: "src/add.js" },
      { type: "file_contains", value: "src/add.js :: a + b" },
      { type: "path_exists", value: "src/sub.js" },
      { type: "file_contains", value: "README.md :: Calculator" },
    ]);
    const made = await makePatch(ctx, store, base, ws.overlay);
    expect(made.failedSignals).toEqual(["path_exists src/sub.js", "file_contains README.md :: Calculator"]);
    expect(made.patch.changedFiles).toEqual(["src/add.js"]);
    const tree = await store.getManifest(made.patch.resultManifest);
    expect(Object.keys(tree ?? {}).sort()).toEqual(["README.md", "src/add.js"]);
    const diff = await env.ARTIFACTS.get(made.patch.patchKey);
    expect(await diff?.text()).toContain("+export const add = (a, b) => a + b;");
  });

  it("fails no signal when there are none, and makes the same patch again for the same overlay", async () => {
    const base: Manifest = { "README.md": await file("# Calc\n") };
    const ws = new Workspace(store, base, {});
    await ws.write("README.md", "# Calculator\n");
    const ctx = attempt([]);
    const first = await makePatch(ctx, store, base, ws.overlay);
    const again = await makePatch(ctx, store, base, ws.overlay);
    expect(first.failedSignals).toEqual([]);
    expect(again).toEqual(first);
  });

  it("names the tree as putManifest does, with a base of many files, and refuses an invalid changed entry", async () => {
    const same = await file("same\n");
    const base: Manifest = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`src/f${i}.txt`, same]));
    const ws = new Workspace(store, base, {});
    await ws.write("src/f7.txt", "seven\n");
    await ws.write("a/new.txt", "new\n");
    ws.delete("src/f9.txt");
    const made = await makePatch(attempt([]), store, base, ws.overlay);
    const { "src/f9.txt": _deleted, ...kept } = base;
    const expected = { ...kept, "src/f7.txt": await file("seven\n"), "a/new.txt": await file("new\n") };
    expect(made.patch.resultManifest).toBe(await store.putManifest(expected));
    expect(made.patch.changedFiles).toEqual(["a/new.txt", "src/f7.txt", "src/f9.txt"]);
    const diff = await env.ARTIFACTS.get(made.patch.patchKey).then((o) => o?.text());
    expect(diff?.match(/^diff --git /gm)).toHaveLength(3);
    const bad = { "x.txt": { sha256: "nope", mode: "100644", size: 1 } } as unknown as Manifest;
    await expect(makePatch(attempt([]), store, base, bad)).rejects.toMatchObject({ code: "invalid_body" });
  });

  it("names an unchanged tree by its base's name, without storing it again", async () => {
    const base: Manifest = { "README.md": await file("# Unchanged\n"), "src/a.txt": await file("a\n") };
    const name = await manifestSha256(base);
    const ws = new Workspace(store, base, {});
    await ws.write("README.md", "# Unchanged\n");
    const made = await makePatch(attempt([], name), store, base, ws.overlay);
    expect(made.patch).toMatchObject({ resultManifest: name, changedFiles: [] });
    expect(await env.ARTIFACTS.head(keys.snapshot(name))).toBeNull();
    expect(await env.ARTIFACTS.get(made.patch.patchKey).then((o) => o?.text())).toBe("");
  });
});
