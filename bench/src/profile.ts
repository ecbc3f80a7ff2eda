// `pnpm --filter @bernstein/bench bench:profile`: one saturated Bernstein run (200 tasks, 20
// agents, instant model; `--tasks`/`--agents` for others, e.g. 1,000 and 50) with V8's CPU
// profiler on every workerd isolate; writes one .cpuprofile per isolate and prints the top
// functions and files by samples; `--floor` profiles the floor's run instead. `--from DIR` summarizes profiles written before instead,
// `--isolate orchestrator` counts only the isolates whose name contains that. bench/README.md,
// "Profiling", says how to read it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BernsteinError } from "@bernstein/core";
import { BENCH, workerBundles } from "./config.js";
import { runFloorProfiled } from "./profile-floor-run.js";
import type { CpuProfile } from "./profile-inspector.js";
import { type IsolateProfile, runProfiled } from "./profile-run.js";
import { type BundleMap, bundleMap, formatSummary, summarize } from "./profile-summary.js";
import { TASK_SHAPE } from "./task-shape.js";
import { createWorkload } from "./workload.js";

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    tasks: { type: "string", default: String(BENCH.tasks) },
    agents: { type: "string", default: String(BENCH.maxAgents) },
    "interval-us": { type: "string", default: "250" },
    top: { type: "string", default: "30" },
    out: { type: "string", default: "/tmp/bernstein-profile" },
    from: { type: "string" },
    isolate: { type: "string" },
    floor: { type: "boolean", default: false },
  },
});
const positive = (name: string, text: string | undefined) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new BernsteinError("bad_request", `--${name} must be a positive integer`);
  return n;
};
const top = positive("top", values.top);
const fileName = (target: string) => `${target.replace(/[^\w.-]+/g, "_")}.cpuprofile`;

let profiles: IsolateProfile[];
if (values.from) {
  const dir = values.from;
  profiles = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => ({
      target: f.replace(/\.cpuprofile$/, ""),
      profile: JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile,
    }));
} else {
  const tasks = positive("tasks", values.tasks);
  const agents = positive("agents", values.agents);
  const intervalUs = positive("interval-us", values["interval-us"]);
  console.error(
    `profiling ${values.floor ? "the floor" : "Bernstein"}: ${tasks} tasks, ${agents} agents, a sample every ${intervalUs} µs; load ${loadavg().join(" ")}`,
  );
  const workload = createWorkload(tasks);
  const run = values.floor
    ? await runFloorProfiled(workload, TASK_SHAPE, tasks, agents, intervalUs)
    : await runProfiled(workload, agents, intervalUs);
  profiles = run.profiles;
  mkdirSync(values.out, { recursive: true });
  for (const { target, profile } of profiles)
    writeFileSync(join(values.out, fileName(target)), JSON.stringify(profile));
  const { before, after } = run.cpu;
  const workerdMs = after.workerdMs === null || before.workerdMs === null ? null : after.workerdMs - before.workerdMs;
  console.log(
    `${tasks} tasks, ${agents} agents: ${(run.wallMs / 1000).toFixed(1)} s, workerd CPU ${
      workerdMs === null ? "n/a" : `${(workerdMs / tasks).toFixed(1)} ms/task`
    } (profiler on: higher than the bench's), load ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  console.log(`profiles: ${values.out}/*.cpuprofile (open in Chrome DevTools, Performance tab)\n`);
}

// Our two Workers' frames map back to source files by their bundles' module comments; the
// bundles must be of the same build as the profiles.
const maps = new Map<string, BundleMap>(
  Object.entries(workerBundles()).map(([key, path]) => [key, bundleMap(readFileSync(path, "utf8"))]),
);
const isolate = values.isolate;
const chosen = profiles.filter((p) => isolate === undefined || p.target.includes(isolate));
console.log(
  formatSummary(
    summarize(chosen.map((p) => ({ ...p, map: maps.get(/user[:_](\w+)$/.exec(p.target)?.[1] ?? "") }))),
    top,
  ),
);
