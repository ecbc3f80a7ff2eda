import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../test-support/trees.js";
import { parseJUnit } from "./junit.js";
import { createTapReader } from "./tap-reader.js";

const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("createTapReader", () => {
  it("reads node --test's TAP as it streams: leaf tests with their suites, failures with messages, skips", async () => {
    const made = await tempDir();
    cleanups.push(made.remove);
    await writeFile(join(made.dir, "package.json"), '{"type":"module"}');
    await writeFile(
      join(made.dir, "a.test.js"),
      `import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
test("top passes", () => {});
test("top fails", () => assert.equal(1, 2));
describe("suite", () => {
  it("inner ok", () => {});
  it("inner bad", () => { throw new Error("boom"); });
  it.skip("later", () => {});
});
`,
    );
    const output = await run(process.execPath, ["--test"], { cwd: made.dir }).catch(
      (error: { stdout: string }) => error,
    );
    const reader = createTapReader();
    // Byte by byte: chunk boundaries fall anywhere in a stream.
    for (const byte of Buffer.from(output.stdout)) reader.write(Buffer.from([byte]));
    const cases = await reader.end();
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ["top passes", "passed"],
      ["top fails", "failed"],
      ["suite › inner ok", "passed"],
      ["suite › inner bad", "failed"],
      ["suite › later", "skipped"],
    ]);
    expect(cases[1]?.message).toContain("1 !== 2");
    expect(cases[3]?.message).toBe("boom");
  });

  it("finds no tests in output that is not TAP", async () => {
    const reader = createTapReader();
    reader.write(Buffer.from(" ✓ test/a.test.ts (2 tests) 3ms\n Test Files  1 passed (1)\n"));
    expect(await reader.end()).toEqual([]);
  });
});

describe("parseJUnit", () => {
  it("reads vitest's report: suites by file, failures with their message, skipped tests", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="3" failures="1" errors="0">
  <testsuite name="test/math.test.ts" tests="3" failures="1" skipped="1">
    <testcase classname="test/math.test.ts" name="math &gt; adds" time="0.001"></testcase>
    <testcase classname="test/math.test.ts" name="math &gt; subtracts" time="0.002">
      <failure message="expected 1 to be 2" type="AssertionError">AssertionError: expected 1 to be 2
 ❯ test/math.test.ts:9:21</failure>
    </testcase>
    <testcase classname="test/math.test.ts" name="math &gt; later"><skipped/></testcase>
  </testsuite>
</testsuites>`;
    const report = parseJUnit(xml, "reports/junit.xml");
    expect(report.ok && report.cases.map((c) => [c.name, c.status, c.source])).toEqual([
      ["test/math.test.ts › math > adds", "passed", "reports/junit.xml"],
      ["test/math.test.ts › math > subtracts", "failed", "reports/junit.xml"],
      ["test/math.test.ts › math > later", "skipped", "reports/junit.xml"],
    ]);
    expect(report.ok && report.cases[1]?.message).toBe("AssertionError: expected 1 to be 2\n ❯ test/math.test.ts:9:21");
  });

  it("reads a bare <testsuite> (pytest) with errors, and nested suites", () => {
    const pytest = `<testsuite name="pytest"><testcase classname="tests.test_x" name="test_ok"/><testcase classname="tests.test_x" name="test_err"><error message="ImportError: no module y"/></testcase></testsuite>`;
    const report = parseJUnit(pytest, "r.xml");
    expect(report.ok && report.cases.map((c) => [c.name, c.status, c.message ?? null])).toEqual([
      ["pytest › tests.test_x › test_ok", "passed", null],
      ["pytest › tests.test_x › test_err", "failed", "ImportError: no module y"],
    ]);
    const nested = `<testsuites><testsuite name="outer"><testsuite name="inner"><testcase name="deep"/></testsuite></testsuite></testsuites>`;
    const deep = parseJUnit(nested, "n.xml");
    expect(deep.ok && deep.cases.map((c) => c.name)).toEqual(["outer › inner › deep"]);
  });

  it("reads node --test's junit reporter, which puts top-level tests under <testsuites>", async () => {
    const made = await tempDir();
    cleanups.push(made.remove);
    await writeFile(join(made.dir, "package.json"), '{"type":"module"}');
    await writeFile(
      join(made.dir, "a.test.js"),
      `import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
test("top", () => assert.equal(1, 2));
describe("suite", () => { it("inner", () => {}); });
`,
    );
    await run(process.execPath, ["--test", "--test-reporter=junit", "--test-reporter-destination=r.xml"], {
      cwd: made.dir,
    }).then(
      () => expect.fail("the test run should fail"),
      (error: { code?: number }) => expect(error.code).toBe(1),
    );
    const report = parseJUnit(await readFile(join(made.dir, "r.xml"), "utf8"), "r.xml");
    expect(report.ok && report.cases.map((c) => [c.name, c.status])).toEqual([
      ["test › top", "failed"],
      ["suite › test › inner", "passed"],
    ]);
  });

  it("says what is wrong with malformed XML or a file that is not a report, never throws", () => {
    expect(parseJUnit("<testsuites><testsuite><testcase name='a'></testsuite>", "bad.xml")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^line 1: /),
    });
    expect(parseJUnit("<coverage lines='3'/>", "cov.xml")).toMatchObject({ ok: false, error: /not a JUnit report/ });
    expect(parseJUnit("", "empty.xml")).toMatchObject({ ok: false });
  });
});
