import type { Manifest } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { mergeText, mergeTrees } from "./merge-trees.js";
import { memoryBlobs } from "./test-utils/memory-blobs.js";

const FILE = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`)
  .join("\n")
  .concat("\n");

async function setup(files: { base?: string; ours?: string; theirs?: string }) {
  const blobs = memoryBlobs();
  const side = async (text: string | undefined): Promise<Manifest> =>
    text === undefined ? {} : { "f.txt": await blobs.put(text) };
  const [base, ours, theirs] = await Promise.all([side(files.base), side(files.ours), side(files.theirs)]);
  const result = await mergeTrees({ base, ours, theirs, readText: blobs.readText, writeText: blobs.writeText });
  return { ...result, blobs, base, ours, theirs, text: () => blobs.text(result.manifest["f.txt"]) };
}

describe("mergeTrees", () => {
  it("takes disjoint changes to different files from each side", async () => {
    const blobs = memoryBlobs();
    const a = await blobs.put("a\n");
    const b = await blobs.put("b\n");
    const c = await blobs.put("c\n");
    const base: Manifest = { "a.txt": a, "b.txt": b, "c.txt": c };
    const ours: Manifest = { ...base, "a.txt": await blobs.put("A\n"), "ours-new.txt": await blobs.put("o\n") };
    const theirs: Manifest = { "a.txt": a, "b.txt": await blobs.put("B\n"), "theirs-new.txt": await blobs.put("t\n") };
    const { manifest, conflicts } = await mergeTrees({ base, ours, theirs, ...blobs });
    expect(conflicts).toEqual([]);
    expect(Object.keys(manifest)).toEqual(["a.txt", "b.txt", "ours-new.txt", "theirs-new.txt"]);
    expect(await blobs.text(manifest["a.txt"])).toBe("A\n");
    expect(await blobs.text(manifest["b.txt"])).toBe("B\n");
  });

  it("merges one file changed in different regions with diff3 and stores the result", async () => {
    const ours = FILE.replace("line 2\n", "line two\n");
    const theirs = FILE.replace("line 18\n", "line eighteen\n").concat("line 21\n");
    const r = await setup({ base: FILE, ours, theirs });
    expect(r.conflicts).toEqual([]);
    const merged = FILE.replace("line 2\n", "line two\n").replace("line 18\n", "line eighteen\n").concat("line 21\n");
    expect(await r.text()).toBe(merged);
    expect(r.manifest["f.txt"]).toMatchObject({ mode: "100644", size: new TextEncoder().encode(merged).byteLength });
  });

  it("reports a conflict when both sides change the same lines differently, keeping ours", async () => {
    const r = await setup({
      base: FILE,
      ours: FILE.replace("line 7\n", "seven\n"),
      theirs: FILE.replace("line 7\n", "SEVEN\n"),
    });
    expect(r.conflicts).toEqual(["f.txt"]);
    expect(r.manifest["f.txt"]).toEqual(r.ours["f.txt"]);
  });

  it("reports delete vs modify as a conflict, both ways round", async () => {
    const changed = FILE.replace("line 1\n", "first\n");
    expect((await setup({ base: FILE, ours: changed })).conflicts).toEqual(["f.txt"]);
    const r = await setup({ base: FILE, theirs: changed });
    expect(r.conflicts).toEqual(["f.txt"]);
    expect(r.manifest["f.txt"]).toBeUndefined();
  });

  it("accepts the identical change on both sides, and a deletion on both sides", async () => {
    const same = FILE.replace("line 3\n", "three\n");
    const r = await setup({ base: FILE, ours: same, theirs: same });
    expect(r.conflicts).toEqual([]);
    expect(await r.text()).toBe(same);
    const gone = await setup({ base: FILE });
    expect(gone.conflicts).toEqual([]);
    expect(gone.manifest).toEqual({});
  });

  it("takes one side's deletion when the other side left the file alone", async () => {
    const r = await setup({ base: FILE, ours: FILE });
    expect(r.conflicts).toEqual([]);
    expect(r.manifest).toEqual({});
  });

  it("reports a binary file changed on both sides as a conflict", async () => {
    const blobs = memoryBlobs();
    const base: Manifest = { "x.bin": await blobs.put(new Uint8Array([0, 1, 2])) };
    const ours: Manifest = { "x.bin": await blobs.put(new Uint8Array([0, 1, 3])) };
    const theirs: Manifest = { "x.bin": await blobs.put(new Uint8Array([0, 1, 4])) };
    expect((await mergeTrees({ base, ours, theirs, ...blobs })).conflicts).toEqual(["x.bin"]);
  });

  it("merges modes: a mode change on one side and a text change on the other both survive", async () => {
    const blobs = memoryBlobs();
    const base: Manifest = { "run.sh": await blobs.put(FILE) };
    const ours: Manifest = { "run.sh": await blobs.put(FILE, "100755") };
    const theirs: Manifest = { "run.sh": await blobs.put(FILE.replace("line 9\n", "nine\n")) };
    const { manifest, conflicts } = await mergeTrees({ base, ours, theirs, ...blobs });
    expect(conflicts).toEqual([]);
    expect(manifest["run.sh"]?.mode).toBe("100755");
    expect(await blobs.text(manifest["run.sh"])).toBe(FILE.replace("line 9\n", "nine\n"));
  });

  it("merges a large tree by the paths theirs changed, keeping the result in code-unit order", async () => {
    const blobs = memoryBlobs();
    const same = await blobs.put("same\n");
    const base: Manifest = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`src/f${i}.txt`, same]));
    const ours: Manifest = { ...base, "src/ours.txt": await blobs.put("o\n") };
    const theirs: Manifest = { ...base, "a/theirs.txt": await blobs.put("t\n"), "src/f7.txt": await blobs.put("7\n") };
    delete theirs["src/f9.txt"];
    const { manifest, conflicts } = await mergeTrees({ base, ours, theirs, ...blobs });
    expect(conflicts).toEqual([]);
    const expected: Manifest = {
      ...ours,
      "a/theirs.txt": await blobs.put("t\n"),
      "src/f7.txt": await blobs.put("7\n"),
    };
    delete expected["src/f9.txt"];
    expect(manifest).toEqual(expected);
    expect(Object.keys(manifest)).toEqual(Object.keys(expected).sort());
  });

  it("gives ours itself back when theirs changed nothing, or only what ours changed alike", async () => {
    const blobs = memoryBlobs();
    const base: Manifest = { "a.txt": await blobs.put("a\n") };
    const ours: Manifest = { ...base, "b.txt": await blobs.put("b\n") };
    expect((await mergeTrees({ base, ours, theirs: { ...base }, ...blobs })).manifest).toBe(ours);
    expect((await mergeTrees({ base, ours, theirs: { ...ours }, ...blobs })).manifest).toBe(ours);
    const conflicting = await mergeTrees({
      base,
      ours,
      theirs: { ...base, "b.txt": await blobs.put("B\n") },
      ...blobs,
    });
    expect(conflicting).toEqual({ manifest: ours, conflicts: ["b.txt"] });
  });

  it("treats two different additions of the same path as a conflict", async () => {
    expect((await setup({ ours: "one\n", theirs: "two\n" })).conflicts).toEqual(["f.txt"]);
  });
});

describe("mergeText", () => {
  it("keeps text without a final newline byte for byte", () => {
    expect(mergeText("a\nb\nc", "A\nb\nc", "a\nb\nC")).toBe("A\nb\nC");
  });
  it("returns null on overlapping changes", () => {
    expect(mergeText("a\nb\n", "a\nx\n", "a\ny\n")).toBeNull();
  });
});
