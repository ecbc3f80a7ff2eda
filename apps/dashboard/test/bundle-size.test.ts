import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// The built app (turbo's `test` runs after `build`): its JS and CSS must stay within budget.
const ASSETS = fileURLToPath(new URL("../dist/assets", import.meta.url));
const BUDGET_BYTES = 250 * 1024;

describe("the built dashboard", () => {
  it("ships its JS and CSS in under 250 KB gzipped", () => {
    const files = readdirSync(ASSETS).filter((name) => /\.(js|css)$/.test(name));
    expect(files.some((name) => name.endsWith(".js"))).toBe(true);
    const gzipped = files.reduce(
      (sum, name) => sum + gzipSync(readFileSync(join(ASSETS, name)), { level: 9 }).length,
      0,
    );
    process.stderr.write(`[dashboard] JS + CSS: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${files.length} files\n`);
    expect(gzipped).toBeLessThan(BUDGET_BYTES);
  });
});
