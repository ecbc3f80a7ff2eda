import { readFileSync } from "node:fs";
import { createTapReader } from "/work/wt/i13/packages/runner/src/reports/tap-reader.ts";
import { parseJUnit } from "/work/wt/i13/packages/runner/src/reports/junit.ts";
const r = createTapReader();
r.write(readFileSync("/work/wt/i13/.tmp/tap/out.tap"));
console.log(await r.end());
console.log(parseJUnit(`<?xml version="1.0"?><testsuites><testsuite name="test/a.test.ts"><testcase classname="test/a.test.ts" name="a &gt; adds"/><testcase classname="test/a.test.ts" name="a > subs"><failure message="expected 1 to be 2">AssertionError: expected 1 to be 2
 at x</failure></testcase><testcase name="skip"><skipped/></testcase></testsuite></testsuites>`, "r.xml"));
console.log(parseJUnit(`<testsuites><testsuite name="x"><testcase name="a"></testsuite>`, "bad.xml"));
