import { describe, expect, it } from "vitest";
import type { Manifest } from "../schemas/manifest.js";
import { setupInputsOf } from "./setup-inputs.js";

const entry = (sha: string) => ({ sha256: sha.repeat(64), mode: "100644" as const, size: 1 });

describe("setupInputsOf", () => {
  const tree: Manifest = {
    "package.json": entry("a"),
    "pnpm-lock.yaml": entry("b"),
    "packages/x/package.json": entry("c"),
    "src/index.ts": entry("d"),
    "py/requirements-dev.txt": entry("e"),
    "Cargo.lock": entry("f"),
  };

  it("picks the lockfiles and manifests at any depth by default, not the sources", () => {
    expect(Object.keys(setupInputsOf(tree))).toEqual([
      "Cargo.lock",
      "package.json",
      "packages/x/package.json",
      "pnpm-lock.yaml",
      "py/requirements-dev.txt",
    ]);
    expect(setupInputsOf(tree)["pnpm-lock.yaml"]).toBe("b".repeat(64));
  });

  it("uses verify.setupInputs instead when given", () => {
    expect(setupInputsOf(tree, ["src/**"])).toEqual({ "src/index.ts": "d".repeat(64) });
  });
});
