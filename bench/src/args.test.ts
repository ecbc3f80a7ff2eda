import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "./args.js";
import { RESULTS_FILE } from "./config.js";

describe("parseBenchArgs", () => {
  it("takes the options after the `--` pnpm 12 passes through, and without it", () => {
    expect(parseBenchArgs(["--", "--rounds", "5", "--output", "/tmp/b.json"])).toEqual({
      rounds: 5,
      output: "/tmp/b.json",
    });
    expect(parseBenchArgs(["--rounds", "2"])).toEqual({ rounds: 2, output: RESULTS_FILE });
    expect(parseBenchArgs([])).toEqual({ rounds: 3, output: RESULTS_FILE });
  });

  it("refuses a bad round count and unknown options", () => {
    expect(() => parseBenchArgs(["--", "--rounds", "0"])).toThrow(/--rounds must be a positive integer/);
    expect(() => parseBenchArgs(["--frobnicate"])).toThrow(/Unknown option/);
  });
});
