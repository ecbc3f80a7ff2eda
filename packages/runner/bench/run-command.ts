// Times `run_command` on a warm workspace against a real local stack, with the runner and the
// scripted model: one attempt runs `true` COMMANDS times in a row. Per command it prints two
// spans: from the job's post (its `command.queued` event) to its result at the coordinator (the
// `command` event), and to the next model request, which the workflow sends once it has the
// result (an upper bound of "post to result in the workflow"). The first command also syncs a
// new workspace, so it is reported apart. Then where the time goes, by stage (p50 of the warm
// commands): the runner's calls to the stack are timed by a wrapper of its client, and the
// coordinator's and the model server's clocks are this machine's clock too.
//
//   node --import tsx bench/run-command.ts          (from packages/runner)
//   node --import tsx bench/run-command.ts --commands 40

import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRunnerClient, type RunnerClient, registerRunner } from "@bernstein/client";
import type { RunEvent, RunView } from "@bernstein/core";
import { calculatorFiles, readEvents, uploadSnapshot } from "@bernstein/testing";
import { type RunnerEvent, startRunner } from "../src/index.js";
import { startTestStack } from "../test/support/harness.js";

const { values: args } = parseArgs({ options: { commands: { type: "string", default: "20" } } });
const COMMANDS = Number.parseInt(args.commands, 10);
const TITLE = "Time the commands";
const turns = Array.from({ length: COMMANDS }, () => ({
  tools: [{ name: "run_command", input: { command: "true" } }],
}));

/** Start and end (this machine's clock) of each call the runner makes, by method. */
type Calls = Record<string, { start: number; end: number; jobId?: string }[]>;

function timed(client: RunnerClient, calls: Calls): RunnerClient {
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>, jobOf?: (r: R, a: A) => string | undefined) =>
    async (...a: A): Promise<R> => {
      const start = Date.now();
      const result = await fn(...a);
      const jobId = jobOf?.(result, a);
      const list = calls[name] ?? [];
      calls[name] = list;
      list.push({ start, end: Date.now(), ...(jobId ? { jobId } : {}) });
      return result;
    };
  return {
    baseUrl: client.baseUrl,
    claim: wrap("claim", client.claim, (job) => job?.id),
    snapshot: wrap("snapshot", client.snapshot),
    blob: client.blob,
    heartbeat: client.heartbeat,
    uploadLog: client.uploadLog,
    postResult: client.postResult,
    postExecResult: wrap("postExecResult", client.postExecResult, (_r, a) => a[0]),
    release: client.release,
  };
}

const p = (values: number[], q: number) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const t = await startTestStack({
  tasks: { [TITLE]: [...turns, { tools: [{ name: "finish", input: { summary: "timed" } }] }] },
});
const created = await registerRunner({ baseUrl: t.stack.url, token: t.stack.token }, { name: "bench" });
const dir = mkdtempSync(join(tmpdir(), "bernstein-runner-bench-"));
const abort = new AbortController();
const calls: Calls = {};
const runnerEvents: { at: number; event: RunnerEvent }[] = [];
const runner = startRunner({
  client: timed(createRunnerClient({ baseUrl: t.stack.url, token: created.token }), calls),
  cacheDir: join(dir, "cache"),
  workspaceRoot: dir,
  signal: abort.signal,
  waitSeconds: 20,
  onEvent: (event) => runnerEvents.push({ at: Date.now(), event }),
});
try {
  const load = loadavg()[0]?.toFixed(1);
  const snapshot = (await uploadSnapshot(t, calculatorFiles())).sha256;
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: "bench", baseSnapshot: snapshot, plan: { tasks: [{ id: "a", title: TITLE }] } }),
  });
  const view = (await res.json()) as RunView;
  const events = await readEvents(t, view.id, 0, 300_000);
  const at = (e: RunEvent | undefined) => (e ? Date.parse(e.at) : Number.NaN);
  const queued = events.filter((e) => e.type === "log" && e.data.kind === "command.queued");
  const done = events.filter((e) => e.type === "log" && e.data.kind === "command");
  const requests = t.model.requests.filter((r) => r.key === TITLE);
  const commandEvents = runnerEvents.filter((r) => r.event.type === "command");
  const claims = (calls.claim ?? []).filter((c) => c.jobId);
  const rows = queued.map((q, i) => {
    const claim = claims[i];
    const post = (calls.postExecResult ?? [])[i];
    const ran = commandEvents[i]?.event;
    const execMs = ran?.type === "command" ? ran.result.durationMs : Number.NaN;
    return {
      coordinator: at(done[i]) - at(q),
      workflow: (requests.find((r) => r.turn === i + 1)?.at ?? Number.NaN) - at(q),
      stages: {
        "queued -> the runner's claim returned": (claim?.end ?? Number.NaN) - at(q),
        "-> result post began (manifest, syncs, setup check, spawn)":
          (post?.start ?? Number.NaN) - (claim?.end ?? Number.NaN),
        "   of which the command's own duration": execMs,
        "-> result post answered": (post?.end ?? Number.NaN) - (post?.start ?? Number.NaN),
        "   of which post began -> `command` event at the coordinator": at(done[i]) - (post?.start ?? Number.NaN),
        "`command` event -> next model request":
          (requests.find((r) => r.turn === i + 1)?.at ?? Number.NaN) - at(done[i]),
      },
    };
  });
  const warm = rows.slice(1);
  process.stdout.write(
    `run_command \`true\`, ${warm.length} warm commands (first, new workspace: ${rows[0]?.workflow} ms); load at start ${load}, at end ${loadavg()[0]?.toFixed(1)}\n`,
  );
  process.stdout.write("span | p50 ms | p90 ms | max ms\n");
  for (const span of ["coordinator", "workflow"] as const) {
    const values = warm.map((r) => r[span]);
    process.stdout.write(
      `post -> result at the ${span} | ${p(values, 0.5)} | ${p(values, 0.9)} | ${Math.max(...values)}\n`,
    );
  }
  process.stdout.write("stage (warm commands) | p50 ms | p90 ms\n");
  for (const stage of Object.keys(warm[0]?.stages ?? {})) {
    const values = warm.map((r) => r.stages[stage as keyof typeof r.stages]);
    process.stdout.write(`${stage} | ${p(values, 0.5)} | ${p(values, 0.9)}\n`);
  }
  process.stdout.write(`run ${events.at(-1)?.data.to ?? "?"}\n`);
} finally {
  abort.abort();
  await runner.stopped;
  rmSync(dir, { recursive: true, force: true });
  await t.stop();
}
