import { XMLParser, XMLValidator } from "fast-xml-parser";
import { clipMessage, joinName, type TestCase } from "./test-case.js";

/** A JUnit XML report read: its test cases, or why it could not be read. */
export type JUnitReport = { ok: true; cases: TestCase[] } | { ok: false; error: string };

type Node = Record<string, unknown>;

const ARRAYS = new Set(["testsuites", "testsuite", "testcase", "failure", "error", "skipped"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  isArray: (name) => ARRAYS.has(name),
  processEntities: true,
});

/**
 * Reads a JUnit XML report (vitest, jest-junit, pytest, go-junit-report, cargo-nextest, Maven
 * surefire, ...) with fast-xml-parser: `<testsuites>` or a bare `<testsuite>`, suites nested in
 * suites, and each `<testcase>` as passed, failed (`<failure>`/`<error>`) or skipped.
 * Malformed XML is an error naming the line, never a throw.
 */
export function parseJUnit(text: string, source: string): JUnitReport {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, error: `line ${valid.err.line}: ${valid.err.msg}` };
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const cases: TestCase[] = [];
  const walkSuites = (suites: unknown, path: string[]) => {
    for (const suite of asNodes(suites)) {
      const here = [...path, attr(suite, "name")].filter((p): p is string => Boolean(p));
      for (const test of asNodes(suite.testcase)) cases.push(caseOf(test, here, source));
      walkSuites(suite.testsuite, here);
    }
  };
  for (const root of asNodes(doc.testsuites)) {
    // node --test's junit reporter puts top-level tests straight under <testsuites>.
    for (const test of asNodes(root.testcase)) cases.push(caseOf(test, [], source));
    walkSuites(root.testsuite, []);
  }
  walkSuites(doc.testsuite, []);
  if (cases.length === 0 && !("testsuites" in doc) && !("testsuite" in doc)) {
    return { ok: false, error: "no <testsuites> or <testsuite> element: not a JUnit report" };
  }
  return { ok: true, cases };
}

function caseOf(test: Node, suites: string[], source: string): TestCase {
  const name = joinName([...suites, attr(test, "classname"), attr(test, "name")]);
  const failure = asNodes(test.failure)[0] ?? asNodes(test.error)[0];
  if (failure) {
    const summary = attr(failure, "message");
    const body = textOf(failure);
    const message = clipMessage(body?.includes(summary ?? "") ? body : [summary, body].filter(Boolean).join("\n"));
    return { name, status: "failed", ...(message ? { message } : {}), source };
  }
  if (test.skipped !== undefined) return { name, status: "skipped", source };
  return { name, status: "passed", source };
}

function asNodes(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === "object" && item !== null ? (item as Node) : { "#text": String(item) }));
}

function attr(node: Node, name: string): string | undefined {
  const value = node[`@${name}`];
  return value === undefined ? undefined : String(value);
}

function textOf(node: Node): string | undefined {
  const value = node["#text"];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}
