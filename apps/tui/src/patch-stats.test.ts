import { describe, expect, it } from "vitest";
import { patchStats } from "./patch-stats.js";

describe("patchStats", () => {
  it("counts files and changed lines of a unified diff", () => {
    const diff = [
      "--- a/src/a.js",
      "+++ b/src/a.js",
      "@@ -1,2 +1,2 @@",
      " keep",
      "-old",
      "+new",
      "--- /dev/null",
      "+++ b/src/b.js",
      "@@ -0,0 +1,2 @@",
      "+one",
      "+two",
      "",
    ].join("\n");
    expect(patchStats(diff)).toEqual({ files: 2, additions: 3, deletions: 1 });
    expect(patchStats("")).toEqual({ files: 0, additions: 0, deletions: 0 });
  });
});
