import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunView } from "@bernstein/core";
import { createFixtureRepo, type FixtureRepo, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, type Result, runBin } from "./support.js";

// A real public repository (unjs/destr: pnpm, vitest, 442 locked packages) verified by the
// runner `bernstein run` starts: its first verify job installs the dependencies (`verify.setup`),
// the later jobs of the run find them in the runner's warm workspace and skip the install.

const KEY = "e2e-warm-key";
const SETUP = "pnpm install --frozen-lockfile";
const VITEST = "./node_modules/.bin/vitest run --reporter=junit --outputFile=reports/vitest.xml";

const note = (path: string, text: string) => ({
  tools: [{ name: "edit_file", input: { path, old_string: "# destr", new_string: `# destr\n\n${text}` } }],
});
const finish = { tools: [{ name: "finish", input: { summary: "noted" } }] };
const script = {
  tasks: {
    "Note the safe mode": [note("README.md", "> See `safeDestr` for untrusted input."), finish],
    "Note the changelog": [
      { tools: [{ name: "write_file", input: { path: "NOTES.md", content: "See CHANGELOG.md.\n" } }] },
      finish,
    ],
  },
};

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
let cache: string;
const cli = (args: string[]): Promise<Result> => runBin(args, { cwd: repo.dir, env });

beforeAll(async () => {
  model = await startScriptedModel(script, { apiKey: KEY });
  repo = await createFixtureRepo("destr");
  cache = mkdtempSync(join(tmpdir(), "bernstein-warm-cache-"));
  env = cleanEnv({
    ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
    ANTHROPIC_API_KEY: KEY,
    // A workspace root of this test's own, so its first job is cold whatever ran before.
    XDG_CACHE_HOME: cache,
    // The fixture pins pnpm 10 and builds esbuild; the pinned pnpm 12 here must neither switch
    // versions (the registry mirror has no pnpm 10 binaries) nor refuse the unapproved build.
    npm_config_manage_package_manager_versions: "false",
    pnpm_config_dangerously_allow_all_builds: "true",
  });
}, 60_000);

afterAll(async () => {
  if (repo) await cli(["dev", "stop"]);
  await model?.close();
  await repo?.cleanup();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

describe("a warm workspace on a real pnpm + vitest repository", () => {
  it("installs once: the later verify jobs of the run do not reinstall dependencies", async () => {
    const plan = join(cache, "warm-plan.json");
    writeFileSync(
      plan,
      JSON.stringify({
        tasks: [
          { id: "t1", title: "Note the safe mode", description: "README", owned_files: ["README.md"] },
          {
            id: "t2",
            title: "Note the changelog",
            description: "NOTES",
            owned_files: ["NOTES.md"],
            depends_on: ["t1"],
          },
        ],
      }),
    );
    writeFileSync(
      join(repo.dir, "bernstein.json"),
      JSON.stringify({
        verify: {
          setup: [SETUP],
          commands: [VITEST],
          reports: ["reports/*.xml"],
          // Commands see only allowlisted variables: pass the two pnpm settings above.
          env: ["npm_config_manage_package_manager_versions", "pnpm_config_dangerously_allow_all_builds"],
        },
      }),
    );
    const result = await cli(["run", "--goal", "notes", "--plan", plan, "--wait", "--json"]);
    expect(result.stderr).not.toMatch(/^error:/m);
    const run = RunView.parse(JSON.parse(result.stdout));
    expect(run.status).toBe("completed");
    expect(run.tasks.every((t) => t.status === "merged" && t.attempt === 1)).toBe(true);
    // vitest's JUnit report names destr's tests: per-test checks on both trees, all passing.
    expect(run.verification?.base.failed).toBe(0);
    expect(run.verification?.base.passed).toBeGreaterThan(10);
    expect(run.verification?.result).toEqual(run.verification?.base);

    // The runner's lines in the stack's log: three jobs (the baseline and two candidates), one slot.
    const lines = readFileSync(join(repo.dir, ".bernstein", "stack.log"), "utf8")
      .split("\n")
      .filter((line) => line.includes("runner:") && / passed in /.test(line));
    const setups = lines.map((line) => /, setup (skipped in )?([\d.]+) s/.exec(line));
    expect(setups).toHaveLength(3);
    expect(setups.map((m) => Boolean(m && !m[1]))).toEqual([true, false, false]);
    const seconds = setups.map((m) => Number(m?.[2]));
    process.stdout.write(`warm workspace: setup of the verify jobs in order: ${seconds.join(" s, ")} s\n`);
    // The later jobs' logs say why: nothing the install depends on changed.
    for (const task of run.tasks) {
      const log = await cli(["logs", task.id]);
      expect(log.stdout).toContain("[runner] setup skipped");
      expect(log.stdout).not.toContain(`$ ${SETUP}`);
    }
  }, 300_000);
});
