// `/healthz` while a 5,000-task plan is created (issue 12: the stack must answer within 100 ms
// meanwhile). On a fresh in-memory local stack, `POST /v1/runs` with a plan of TASKS tasks
// (descriptions padded so the body is about 3.5 MB, as in the issue's trial) while this process
// asks `GET /healthz` one request after another. Prints the probes' latency (p50, p90, p99,
// max), how many there were, and how long the create took, with the machine's load.
//
//   pnpm --filter @bernstein/bench bench:healthz
//   pnpm --filter @bernstein/bench bench:healthz -- --tasks 2000

import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { BENCH_API_TOKEN, startBenchStack } from "./bench-stack.js";
import { percentile } from "./percentile.js";
import { createWorkload } from "./workload.js";

/** Description length: 5,000 tasks make a body of about 3.5 MB. */
const DESCRIPTION_CHARS = 600;

const argv = process.argv[2] === "--" ? process.argv.slice(3) : process.argv.slice(2);
const { values } = parseArgs({ args: argv, options: { tasks: { type: "string", default: "5000" } } });
const tasks = Number.parseInt(values.tasks, 10);
const workload = createWorkload(tasks);
const plan = {
  tasks: workload.plan.tasks.map((task) => ({
    ...task,
    description: `${task.description} ${"Keep the file short and plain. ".repeat(20)}`.slice(0, DESCRIPTION_CHARS),
  })),
};

const bench = await startBenchStack(workload);
try {
  const { stack, baseSnapshot } = bench;
  const body = JSON.stringify({ goal: workload.goal, baseSnapshot, plan, maxAgents: 1 });
  const loadBefore = loadavg()[0]?.toFixed(1);
  const probes: number[] = [];
  const probeStarts: number[] = [];
  let creating = true;
  const probing = (async () => {
    while (creating) {
      const started = performance.now();
      const res = await fetch(`${stack.url}/healthz`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`/healthz answered ${res.status}`);
      probes.push(performance.now() - started);
      probeStarts.push(started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  const posted = started;
  const res = await fetch(`${stack.url}/v1/runs`, {
    method: "POST",
    headers: { authorization: `Bearer ${BENCH_API_TOKEN}`, "content-type": "application/json" },
    body,
  });
  await res.arrayBuffer();
  const createMs = performance.now() - started;
  creating = false;
  await probing;
  if (res.status !== 201) throw new Error(`POST /v1/runs answered ${res.status}`);
  const ms = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(0));
  process.stdout.write(
    `/healthz during the create of ${tasks} tasks (body ${(body.length / 1e6).toFixed(1)} MB, created in ${ms(createMs)} ms; load ${loadBefore} -> ${loadavg()[0]?.toFixed(1)})\n`,
  );
  process.stdout.write("probes | p50 ms | p90 ms | p99 ms | max ms\n");
  process.stdout.write(
    `${probes.length} | ${ms(percentile(probes, 50))} | ${ms(percentile(probes, 90))} | ${ms(percentile(probes, 99))} | ${ms(Math.max(...probes))}\n`,
  );
  // Where in the create the thread was held: the slowest probes, by when they were sent.
  const slowest = probes
    .map((latency, i) => ({ latency, at: (probeStarts[i] ?? posted) - posted }))
    .sort((a, b) => b.latency - a.latency)
    .slice(0, 3);
  process.stdout.write(
    `slowest probes: ${slowest.map((p) => `${ms(p.latency)} ms sent at +${ms(p.at)} ms`).join(", ")}\n`,
  );
} finally {
  await bench.close();
}
