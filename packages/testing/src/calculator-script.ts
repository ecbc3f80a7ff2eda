import type { ModelScript, ScriptTurn, ScriptUsage } from "./script.js";

/** The goal the calculator script answers. */
export const CALCULATOR_GOAL = "Add multiply and divide to the calculator, with tests, and document them";

/** Task titles; they are also the script keys (found in each agent's first user message). */
export const CALCULATOR_TASKS = {
  multiply: "Add multiply",
  divide: "Add divide",
  docs: "Document multiply and divide in the README",
} as const;

export interface CalculatorScriptOptions {
  /** Wait before every answer, so a demo is watchable. */
  delayMs?: number;
  /** Usage every answer reports (default: the server's estimate from the sizes). */
  usage?: ScriptUsage;
}

const MULTIPLY_JS = `/** Returns the product of two numbers. */
export function multiply(a, b) {
  return a * b;
}
`;

const MULTIPLY_TEST_JS = `import assert from "node:assert/strict";
import { test } from "node:test";
import { multiply } from "../src/multiply.js";

test("multiply multiplies two numbers", () => {
  assert.equal(multiply(3, 4), 12);
  assert.equal(multiply(-2, 5), -10);
  assert.equal(multiply(7, 0), 0);
});
`;

const DIVIDE_JS = `/** Returns a divided by b; dividing by zero throws a RangeError. */
export function divide(a, b) {
  if (b === 0) throw new RangeError("cannot divide by zero");
  return a / b;
}
`;

const DIVIDE_TEST_JS = `import assert from "node:assert/strict";
import { test } from "node:test";
import { divide } from "../src/divide.js";

test("divide divides two numbers", () => {
  assert.equal(divide(12, 4), 3);
  assert.equal(divide(1, 4), 0.25);
});

test("divide by zero throws a RangeError", () => {
  assert.throws(() => divide(1, 0), RangeError);
});
`;

/** A line of the fixture's README that the docs task replaces (it must exist verbatim). */
export const README_ANCHOR = "- `add(a, b)` returns the sum of `a` and `b` (`src/add.js`).\n";

const README_LINES = `${README_ANCHOR}- \`multiply(a, b)\` returns the product of \`a\` and \`b\` (\`src/multiply.js\`).
- \`divide(a, b)\` returns \`a\` divided by \`b\`, and throws a \`RangeError\` when \`b\` is zero (\`src/divide.js\`).
`;

const PLAN_TASKS = [
  {
    id: "t1",
    title: CALCULATOR_TASKS.multiply,
    description: "Add src/multiply.js exporting multiply(a, b), with node:test tests in test/multiply.test.js.",
    role: "backend",
    priority: 1,
    owned_files: ["src/multiply.js", "test/multiply.test.js"],
    completion_signals: [{ type: "file_contains", value: "src/multiply.js :: export function multiply" }],
  },
  {
    id: "t2",
    title: CALCULATOR_TASKS.divide,
    description:
      "Add src/divide.js exporting divide(a, b) that throws a RangeError when b is zero, with tests in test/divide.test.js.",
    role: "backend",
    priority: 1,
    owned_files: ["src/divide.js", "test/divide.test.js"],
    completion_signals: [{ type: "file_contains", value: "src/divide.js :: export function divide" }],
  },
  {
    id: "t3",
    title: CALCULATOR_TASKS.docs,
    description: "List multiply and divide in the README's Functions section.",
    role: "docs",
    priority: 2,
    depends_on: ["t1", "t2"],
    owned_files: ["README.md"],
    completion_signals: [{ type: "file_contains", value: "README.md :: multiply(a, b)" }],
  },
];

/** The calculator plan as a `--plan` file would hold it. */
export const CALCULATOR_PLAN = { tasks: PLAN_TASKS };

/**
 * The scripted model for the calculator goal: one planning answer (three tasks) and, per task,
 * read -> write/edit -> finish turns that leave `node --test` passing. It is also the demo's model.
 */
export function calculatorScript(options: CalculatorScriptOptions = {}): ModelScript {
  const turn = (t: ScriptTurn): ScriptTurn => ({
    ...t,
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    ...(options.usage === undefined ? {} : { usage: options.usage }),
  });
  const read = (path: string) => ({ name: "read_file", input: { path } });
  const write = (path: string, content: string) => ({ name: "write_file", input: { path, content } });
  const finish = (summary: string) => ({ name: "finish", input: { summary } });
  return {
    plan: [
      turn({
        text: "Three small tasks; the README waits for both functions.",
        tools: [{ name: "submit_plan", input: { tasks: PLAN_TASKS } }],
      }),
    ],
    tasks: {
      [CALCULATOR_TASKS.multiply]: [
        turn({
          text: "Let me look at how add is written and tested.",
          tools: [read("src/add.js"), read("test/add.test.js")],
        }),
        turn({ tools: [write("src/multiply.js", MULTIPLY_JS), write("test/multiply.test.js", MULTIPLY_TEST_JS)] }),
        turn({ tools: [finish("Added multiply(a, b) in src/multiply.js with tests in test/multiply.test.js.")] }),
      ],
      [CALCULATOR_TASKS.divide]: [
        turn({
          text: "Let me look at how add is written and tested.",
          tools: [read("src/add.js"), read("test/add.test.js")],
        }),
        turn({ tools: [write("src/divide.js", DIVIDE_JS), write("test/divide.test.js", DIVIDE_TEST_JS)] }),
        turn({ tools: [finish("Added divide(a, b) in src/divide.js (RangeError on zero) with tests.")] }),
      ],
      [CALCULATOR_TASKS.docs]: [
        turn({ tools: [{ name: "list_files", input: {} }, read("README.md")] }),
        turn({
          tools: [
            { name: "edit_file", input: { path: "README.md", old_string: README_ANCHOR, new_string: README_LINES } },
          ],
        }),
        turn({ tools: [finish("Documented multiply and divide in the README.")] }),
      ],
    },
  };
}

/** The scripted model `bernstein demo` uses when no model key is set. */
export const demoScript = calculatorScript;
