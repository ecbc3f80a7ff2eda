import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { AuditRunVerdict } from "@bernstein/core";
import type { CloudFlags } from "../cloud/target.js";
import { EXIT } from "../exit-codes.js";
import type { Output } from "../output/output.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect } from "./task-control.js";

interface AuditOptions extends CloudFlags {
  json?: boolean;
}

export const auditVerifyCommand = defineCommand<AuditOptions>({
  path: ["audit", "verify"],
  description:
    "Check a run's HMAC audit chain in D1 and its R2 seal (every run without RUN): exit 0, or 1 naming the first broken link",
  args: [{ name: "run", description: "the run id (r_...); default every run", required: false }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein audit verify r_0123456789ab", description: "one run's chain and seal" },
    { command: "bernstein audit verify --json", description: "{ok, runs:[{runId, ok, events, sealed, broken}]}" },
  ],
  async handler([run], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const report = await client.verifyAudit(run);
    if (out.json) out.data(report);
    else for (const verdict of report.runs) printVerdict(out, verdict);
    if (!out.json && report.runs.length === 0) out.print("no runs to verify");
    return report.ok ? EXIT.ok : EXIT.failed;
  },
});

function printVerdict(out: Output, v: AuditRunVerdict): void {
  const seal = v.sealed ? "sealed" : "not sealed (the run has not ended)";
  if (v.ok) {
    out.print(`${out.color.green("✓")} ${v.runId}: ${v.events} links intact, ${seal}`);
    return;
  }
  const b = v.broken;
  if (!b) return;
  const where =
    b.seq === null
      ? `the ${b.where === "seal" ? "R2 seal" : "chain"}`
      : `seq ${b.seq} (${b.where === "seal" ? "R2 seal" : "D1"})`;
  out.print(`${out.color.red("✗")} ${v.runId}: broken at ${where}: ${b.what}`);
  out.print(`    expected ${b.expected}`);
  out.print(`    found    ${b.found}`);
}

export const auditExportCommand = defineCommand<AuditOptions & { output?: string }>({
  path: ["audit", "export"],
  description: "Write a run's audit chain as JSON lines (the sealed file once the run has ended)",
  args: [{ name: "run", description: "the run id (r_...)", required: true }],
  options: [
    { flags: "-o, --output <file>", description: "write to a file instead of stdout" },
    { ...JSON_OPTION, description: "print {runId, links, seal} as one JSON document instead of the lines" },
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein audit export r_0123456789ab > audit.jsonl", description: "to a file, through stdout" },
    { command: "bernstein audit export r_0123456789ab -o audit.jsonl", description: "to a file" },
  ],
  async handler([run], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const text = await client.exportAudit(run as string);
    if (out.json) {
      const lines = text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const seal = lines.at(-1)?.seal ?? null;
      out.data({ runId: run, links: seal ? lines.slice(0, -1) : lines, seal });
      return EXIT.ok;
    }
    if (options.output === undefined) {
      io.stdout.write(text);
      return EXIT.ok;
    }
    const path = resolve(io.cwd, options.output);
    await writeFile(path, text);
    out.note(`Wrote ${text.split("\n").filter(Boolean).length} lines to ${path}`);
    return EXIT.ok;
  },
});
