import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { validatePlan } from "@bernstein/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALCULATOR_TASKS, calculatorScript, demoScript } from "./calculator-script.js";
import { createFixtureRepo, type FixtureRepo } from "./fixture-repo.js";
import type { ScriptToolCall } from "./script.js";

const run = promisify(execFile);

/** The two mutating agent tools, with the contract's semantics (edit needs exactly one match). */
async function apply(dir: string, call: ScriptToolCall): Promise<void> {
  const path = join(dir, String(call.input.path));
  if (call.name === "write_file") {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, String(call.input.content));
  }
  if (call.name === "edit_file") {
    const text = await readFile(path, "utf8");
    const old = String(call.input.old_string);
    expect(text.split(old).length - 1).toBe(1);
    await writeFile(path, text.replace(old, String(call.input.new_string)));
  }
}

describe("calculatorScript", () => {
  let repo: FixtureRepo;
  beforeAll(async () => {
    repo = await createFixtureRepo("calculator");
  });
  afterAll(() => repo.cleanup());

  it("plans three valid tasks, the README task after the two functions", () => {
    const call = calculatorScript().plan?.[0]?.tools?.[0];
    expect(call?.name).toBe("submit_plan");
    const plan = validatePlan(call?.input);
    expect(plan.tasks.map((t) => [t.id, t.title, t.depends_on])).toEqual([
      ["t1", CALCULATOR_TASKS.multiply, []],
      ["t2", CALCULATOR_TASKS.divide, []],
      ["t3", CALCULATOR_TASKS.docs, ["t1", "t2"]],
    ]);
    expect(plan.tasks[2]?.owned_files).toEqual(["README.md"]);
  });

  it("has one key per planned task and every agent ends with finish", () => {
    const script = demoScript();
    expect(Object.keys(script.tasks).sort()).toEqual(Object.values(CALCULATOR_TASKS).sort());
    for (const turns of Object.values(script.tasks)) {
      expect(turns.at(-1)?.tools?.map((t) => t.name)).toEqual(["finish"]);
    }
  });

  it("leaves a working calculator when its tool calls are applied to the fixture", async () => {
    const script = calculatorScript({ delayMs: 5 });
    for (const title of Object.values(CALCULATOR_TASKS)) {
      for (const turn of script.tasks[title] ?? []) {
        expect(turn.delayMs).toBe(5);
        for (const call of turn.tools ?? []) await apply(repo.dir, call);
      }
    }
    const { stdout } = await run(process.execPath, ["--test"], { cwd: repo.dir });
    expect(stdout).toMatch(/# pass 4\n# fail 0/);
    const readme = await readFile(join(repo.dir, "README.md"), "utf8");
    expect(readme).toContain("`multiply(a, b)`");
    expect(readme).toContain("RangeError");
    const divide = (await import(join(repo.dir, "src/divide.js"))) as { divide: (a: number, b: number) => number };
    expect(() => divide.divide(1, 0)).toThrow(RangeError);
  });
});
