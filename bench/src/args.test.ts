import { describe, expect, it } from "vitest";
import { BENCH_PARTS, parseBenchArgs } from "./args.js";
import { RESULTS_FILE } from "./config.js";

describe("parseBenchArgs", () => {
  it("takes the options after the `--` pnpm 12 passes through, and without it", () => {
    expect(parseBenchArgs(["--", "--rounds", "5", "--output", "/tmp/b.json"])).toEqual({
      rounds: 5,
      output: "/tmp/b.json",
      parts: [...BENCH_PARTS],
    });
    expect(parseBenchArgs(["--rounds", "2"])).toEqual({ rounds: 2, output: RESULTS_FILE, parts: [...BENCH_PARTS] });
    expect(parseBenchArgs([])).toEqual({ rounds: 3, output: RESULTS_FILE, parts: [...BENCH_PARTS] });
  });

  it("runs one part alone with --only, writing only to an --output given", () => {
    expect(parseBenchArgs(["--", "--only", "realistic"])).toEqual({ rounds: 3, output: null, parts: ["realistic"] });
    expect(parseBenchArgs(["--only", "saturated", "--rounds", "1", "--output", "/tmp/s.json"])).toEqual({
      rounds: 1,
      output: "/tmp/s.json",
      parts: ["saturated"],
    });
    expect(parseBenchArgs(["--only", "scale"]).parts).toEqual(["scale"]);
  });

  it("refuses a bad round count, an unknown part and unknown options", () => {
    expect(() => parseBenchArgs(["--", "--rounds", "0"])).toThrow(/--rounds must be a positive integer/);
    expect(() => parseBenchArgs(["--only", "everything"])).toThrow(
      /--only must be one of saturated, realistic, scale, got everything/,
    );
    expect(() => parseBenchArgs(["--frobnicate"])).toThrow(/Unknown option/);
  });
});
