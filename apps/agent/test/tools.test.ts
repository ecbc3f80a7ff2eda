import { env } from "cloudflare:test";
import { createArtifactStore } from "@bernstein/artifacts";
import type { Manifest } from "@bernstein/core";
import type { Block } from "@bernstein/llm";
import { beforeAll, describe, expect, it } from "vitest";
import { runTools } from "../src/agent/run-tools.js";
import { touchesStorage } from "../src/agent/tool-batch.js";
import { Workspace } from "../src/agent/workspace.js";

const store = createArtifactStore(env.ARTIFACTS);
let base: Manifest;

async function file(text: string) {
  const blob = await store.putBlob(text);
  return { sha256: blob.sha256, mode: "100644" as const, size: blob.bytes };
}

beforeAll(async () => {
  base = {
    "README.md": await file("# Calc\n\nAdds numbers.\n"),
    "src/add.js": await file("export function add(a, b) {\n  return a + b;\n}\n"),
    "src/sub.js": await file("export function sub(a, b) {\n  return a - b;\n}\n"),
    "test/add.test.js": await file("import { add } from '../src/add.js';\n"),
  };
});

let nextId = 0;
function call(name: string, input: Record<string, unknown>): Extract<Block, { type: "tool_use" }> {
  return { type: "tool_use", id: `toolu_${nextId++}`, name, input };
}

async function one(ws: Workspace, name: string, input: Record<string, unknown>) {
  const batch = await runTools(ws, [call(name, input)]);
  return { ...batch, result: batch.results[0] as Extract<Block, { type: "tool_result" }> };
}

describe("agent tools over base + overlay", () => {
  it("lists and reads files, with line windows", async () => {
    const ws = new Workspace(store, base, {});
    expect((await one(ws, "list_files", { path: "src" })).result.content).toBe("src/add.js\nsrc/sub.js");
    const read = await one(ws, "read_file", { path: "src/add.js", offset: 2, limit: 1 });
    expect(read.result.content).toBe("  return a + b;\n… 2 more lines (read with offset 3)");
  });

  it("searches with a regular expression and reports a bad one as a tool error", async () => {
    const ws = new Workspace(store, base, {});
    expect((await one(ws, "search", { pattern: "return a [+-] b" })).result.content).toBe(
      "src/add.js:2:   return a + b;\nsrc/sub.js:2:   return a - b;",
    );
    const bad = await one(ws, "search", { pattern: "(" });
    expect(bad.result.isError).toBe(true);
    expect(bad.result.content).toMatch(/^Error: invalid regular expression/);
  });

  it("writes, edits and deletes only in the overlay, which a later step picks up", async () => {
    const first = await runTools(new Workspace(store, base, {}), [
      call("write_file", { path: "src/mul.js", content: "export const mul = (a, b) => a * b;\n" }),
      call("edit_file", { path: "README.md", old_string: "Adds numbers.", new_string: "Adds and multiplies numbers." }),
      call("delete_file", { path: "src/sub.js" }),
    ]);
    expect(first.results.every((r) => r.type === "tool_result" && !r.isError)).toBe(true);
    expect(Object.keys(first.overlay).sort()).toEqual(["README.md", "src/mul.js", "src/sub.js"]);
    expect(first.overlay["src/sub.js"]).toBeNull();
    expect(base["src/sub.js"]).toBeDefined(); // the base is never changed

    const later = new Workspace(store, base, first.overlay);
    expect(await later.read("README.md")).toContain("Adds and multiplies numbers.");
    expect(later.list("src")).toEqual(["src/add.js", "src/mul.js"]);
  });

  it("requires exactly one match for edit_file", async () => {
    const ws = new Workspace(store, base, {});
    const none = await one(ws, "edit_file", { path: "src/add.js", old_string: "nope", new_string: "x" });
    expect(none.result.content).toBe("Error: old_string not found in src/add.js");
    const many = await one(ws, "edit_file", { path: "src/add.js", old_string: "a", new_string: "x" });
    expect(many.result.isError).toBe(true);
    expect(many.result.content).toMatch(/more than once/);
    expect(many.overlay).toEqual({});
  });

  it("refuses paths that escape the repository, unknown tools and bad input", async () => {
    const ws = new Workspace(store, base, {});
    const escaping = await one(ws, "write_file", { path: "../outside.txt", content: "x" });
    expect(escaping.result).toMatchObject({ isError: true });
    expect(escaping.result.content).toMatch(/escapes the repository root/);
    expect((await one(ws, "read_file", { path: ".git/config" })).result.isError).toBe(true);
    expect((await one(ws, "rm_rf", {})).result.content).toBe("Error: unknown tool rm_rf");
    expect((await one(ws, "write_file", { path: "a.txt" })).result.content).toMatch(/invalid input for write_file/);
    expect(escaping.overlay).toEqual({});
  });

  it("treats constructor and __proto__ as paths like any other, absent until written", async () => {
    const ws = new Workspace(store, base, {});
    for (const path of ["constructor", "__proto__", "toString"]) {
      const missing = await one(ws, "read_file", { path });
      expect(missing.result.content, path).toBe(`Error: file not found: ${path}`);
      expect((await one(ws, "delete_file", { path })).result.content).toBe(`Error: file not found: ${path}`);
    }
    const wrote = await one(ws, "write_file", { path: "constructor", content: "c\n" });
    expect(wrote.result.isError).toBeFalsy();
    expect(await ws.read("constructor")).toBe("c\n");
    expect(ws.list("")).toContain("constructor");
  });

  it("finishes with the model's summary", async () => {
    const batch = await runTools(new Workspace(store, base, {}), [
      call("write_file", { path: "x.txt", content: "x\n" }),
      call("finish", { summary: "  Wrote x.  " }),
    ]);
    expect(batch.finished).toEqual({ summary: "Wrote x." });
  });
});

describe("the agent's tools stay in the repository and cannot stall", () => {
  it("refuses writes onto or through symlinks, and reads of them", async () => {
    const link = async (target: string) => ({ ...(await file(target)), mode: "120000" as const });
    const ws = new Workspace(
      store,
      { ...base, "docs-link": await link("README.md"), outside: await link("../../etc") },
      {},
    );
    for (const [name, input, message] of [
      ["write_file", { path: "docs-link", content: "/etc/passwd" }, /docs-link is a symbolic link/],
      ["edit_file", { path: "docs-link", old_string: "README", new_string: "x" }, /symbolic link/],
      ["write_file", { path: "outside/passwd", content: "x" }, /outside is a symbolic link, not a folder/],
      ["read_file", { path: "outside/passwd" }, /outside is a symbolic link/],
      ["read_file", { path: "docs-link" }, /symbolic link/],
      ["write_file", { path: "src/add.js/x", content: "x" }, /src\/add\.js is a file, not a folder/],
      ["write_file", { path: "src", content: "x" }, /src is a folder/],
    ] as const) {
      const { result, overlay } = await one(ws, name, input);
      expect(result.isError, `${name} ${JSON.stringify(input)}`).toBe(true);
      expect(result.content).toMatch(message);
      expect(overlay).toEqual({});
    }
  });

  it("refuses .git at any depth and in any case, absolute paths and ../", async () => {
    const ws = new Workspace(store, base, {});
    for (const path of [
      "sub/.git/config",
      ".GIT/config",
      "a/.Git/hooks/pre-commit",
      "/etc/passwd",
      "../x",
      "src/../../x",
    ]) {
      for (const [name, input] of [
        ["write_file", { path, content: "x" }],
        ["read_file", { path }],
        ["delete_file", { path }],
        ["search", { pattern: "x", path }],
      ] as const) {
        const { result, overlay } = await one(ws, name, input);
        expect(result.isError, `${name} ${path}`).toBe(true);
        expect(overlay).toEqual({});
      }
    }
  });

  it("answers a catastrophic pattern over a long line at once (RE2), without a backtracking engine", async () => {
    const ws = new Workspace(store, { ...base, "aaaa.txt": await file(`${"a".repeat(200_000)}!\n`) }, {});
    const { result } = await one(ws, "search", { pattern: "^(a+)+$" });
    expect(result.isError).toBeFalsy();
    expect(result.content).toBe("no matches");
    const refused = await one(ws, "search", { pattern: "(a)\\1" });
    expect(refused.result).toMatchObject({ isError: true });
    expect(refused.result.content).toMatch(/RE2/);
  });

  it("stops a search at its byte budget and says so", async () => {
    const big = await file(`${"b".repeat(1024 * 1024)}\n`);
    const tree = { ...base };
    for (let i = 0; i < 10; i++) tree[`big/${String(i).padStart(2, "0")}.txt`] = big;
    const { result } = await one(new Workspace(store, tree, {}), "search", { pattern: "^(b+)+c$" });
    expect(result.content).toMatch(/^no matches\n… search budget exceeded: searched \d+ of 14 files/);
  });

  it("leaves out files too large to match in one piece, and says so", async () => {
    const ws = new Workspace(store, { ...base, "huge.txt": await file(`${"c".repeat(5 * 1024 * 1024)}\n`) }, {});
    const { result } = await one(ws, "search", { pattern: "^c+$" });
    expect(result.content).toBe("no matches\n… not searched (over 4194304 bytes): huge.txt");
  });
});

describe("which tool batches run as a step", () => {
  it("only those that read or write R2: finish, list_files and delete_file work on the tree in memory", () => {
    const pure = [call("finish", { summary: "done" }), call("list_files", {}), call("delete_file", { path: "a" })];
    expect(touchesStorage(pure)).toBe(false);
    expect(touchesStorage([call("nope", {})])).toBe(false);
    for (const name of ["read_file", "search", "write_file", "edit_file"]) {
      expect(touchesStorage([...pure, call(name, {})])).toBe(true);
    }
  });
});
