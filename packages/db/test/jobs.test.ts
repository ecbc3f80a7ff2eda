import { env } from "cloudflare:test";
import type { Job } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import {
  claimJob,
  createDb,
  getJob,
  insertJobStmts,
  insertRun,
  insertTasks,
  renewJobLease,
  runBatch,
} from "../src/index.js";
import { makeRun, makeTask, SHA_A } from "./fixtures.js";

const db = createDb(env.STATE_DB);

async function seedJobs(count: number, leaseSeconds = 30): Promise<Job[]> {
  const run = makeRun();
  await insertRun(db, run);
  const task = makeTask(run.id, 0);
  await insertTasks(db, [task]);
  // Job 0 is a baseline (an integration tree: no task), the others candidates of one attempt.
  const jobs: Job[] = Array.from({ length: count }, (_, i) => ({
    id: `j_${run.id}_${i}`,
    runId: run.id,
    kind: i === 0 ? "baseline" : "candidate",
    taskId: i === 0 ? null : task.id,
    attemptId: i === 0 ? null : `${run.id}-${task.id}-a1`,
    attempt: i === 0 ? null : 1,
    status: "queued",
    manifest: SHA_A,
    baseCommit: null,
    commands: ["npm test"],
    verify: {
      setup: ["npm ci"],
      setupInputs: null,
      reports: ["reports/*.xml"],
      signals: i === 0 ? [] : ["node --test test/x.test.js"],
      workspace: "git:0123abcd",
    },
    timeoutSeconds: 600,
    leaseSeconds,
    labels: [],
    runnerId: null,
    leaseExpiresAt: null,
    claims: 0,
    exitCode: null,
    timedOut: false,
    durationMs: null,
    tail: null,
    logKey: `runs/${run.id}/tasks/${task.id}/a1/verify.log`,
    createdAt: new Date(Date.UTC(2020, 0, 1, 0, 0, i)).toISOString(),
    updatedAt: new Date(Date.UTC(2020, 0, 1)).toISOString(),
  }));
  await runBatch(
    db,
    jobs.flatMap((job) => insertJobStmts(db, job)),
  );
  return jobs;
}

describe("the runners' job queue", () => {
  it("hands each job to exactly one runner, oldest first, even when they claim at once", async () => {
    const seeded = await seedJobs(5);
    const now = new Date();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimJob(db, { runnerId: `runner-${i}`, now })),
    );
    // Queued jobs: nobody's lease lapsed.
    for (const claim of claims) expect(claim?.lapsed ?? null).toBeNull();
    const got = claims
      .map((claim) => claim?.job ?? null)
      .filter((job): job is Job => job !== null && seeded.some((s) => s.id === job.id));
    expect(got.map((job) => job.id).sort()).toEqual(seeded.map((job) => job.id).sort());
    expect(new Set(got.map((job) => job.runnerId)).size).toBe(5);
    for (const job of got) {
      expect(job).toMatchObject({ status: "running", claims: 1 });
      expect(Date.parse(job.leaseExpiresAt ?? "")).toBe(now.getTime() + 30_000);
    }
    const baseline = got.find((job) => job.kind === "baseline");
    expect(baseline).toMatchObject({ taskId: null, attemptId: null, attempt: null, verify: seeded[0]?.verify });
    expect(got.find((job) => job.id === seeded[1]?.id)?.verify.signals).toEqual(["node --test test/x.test.js"]);
  });

  it("gives a job whose lease expired to another runner, and refuses the old runner's heartbeat", async () => {
    const [job] = await seedJobs(1, 5);
    const t0 = new Date("2030-01-01T00:00:00.000Z");
    const claimUntil = async (runnerId: string, now: Date) => {
      let claim = await claimJob(db, { runnerId, now });
      while (claim && claim.job.id !== job?.id) claim = await claimJob(db, { runnerId, now });
      return claim;
    };
    const first = await claimUntil("a", t0);
    expect(first).toMatchObject({ job: { runnerId: "a" }, lapsed: null });
    expect(await renewJobLease(db, job?.id ?? "", "a", new Date("2030-01-01T00:00:04.000Z"))).not.toBeNull();
    // Still leased at 00:00:08 (renewed at 04 + 5 s): nobody else gets it.
    const early = await claimJob(db, { runnerId: "b", now: new Date("2030-01-01T00:00:08.000Z") });
    expect(early?.job.id).not.toBe(job?.id);
    const late = new Date("2030-01-01T00:00:10.000Z");
    const second = await claimUntil("b", late);
    // The claim says whose lease lapsed (no runner row named "a" exists here: no name).
    expect(second).toMatchObject({ job: { runnerId: "b", claims: 2 }, lapsed: { runnerId: "a", name: null } });
    expect(await renewJobLease(db, job?.id ?? "", "a", late)).toBeNull();
    expect((await getJob(db, job?.id ?? ""))?.runnerId).toBe("b");
  });

  it("starts the lease it is given, and heartbeats renew that one", async () => {
    const [job] = await seedJobs(1, 30);
    const t0 = new Date("2031-01-01T00:00:00.000Z");
    let claim = await claimJob(db, { runnerId: "a", now: t0, leaseSeconds: 4 });
    while (claim && claim.job.id !== job?.id) claim = await claimJob(db, { runnerId: "a", now: t0, leaseSeconds: 4 });
    expect(claim?.job).toMatchObject({ leaseSeconds: 4, leaseExpiresAt: "2031-01-01T00:00:04.000Z" });
    const renewed = await renewJobLease(db, job?.id ?? "", "a", new Date("2031-01-01T00:00:03.000Z"));
    expect(renewed?.leaseExpiresAt).toBe("2031-01-01T00:00:07.000Z");
  });
});
