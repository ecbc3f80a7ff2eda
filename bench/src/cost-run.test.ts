import { METER_PATH } from "@bernstein/core";
import { startLocalStack } from "@bernstein/local-stack";
import { describe, expect, it } from "vitest";
import { workerBundles } from "./config.js";
import { usageOf } from "./cost-estimate.js";
import { runMetered } from "./cost-run.js";

describe("a metered run", () => {
  it("counts every kind of usage of a 3-task run, consistently", async () => {
    const metered = await runMetered({ tasks: 3, waves: 2, maxAgents: 2 });
    const { orchestrator, agent } = metered;
    console.log(JSON.stringify({ orchestrator, agent }));
    expect([orchestrator.worker, agent.worker]).toEqual(["orchestrator", "agent"]);
    // The API is the orchestrator's; the agent Worker's work arrives as Workflow instances only.
    expect(orchestrator.invocations.fetch).toBeGreaterThan(0);
    expect(agent.invocations.fetch ?? 0).toBe(0);
    // One attempt a task (the plan is given: no planning workflow), each starting and reporting once.
    expect(agent.workflows.runs).toBe(3);
    expect(agent.durableObjects.requestsByMethod).toMatchObject({ attemptStarted: 3, attemptFinished: 3 });
    const w = agent.workflows;
    expect(w.stepFirstRuns + w.stepReplays).toBe(w.stepCalls);
    expect(w.stepAttempts).toBeGreaterThanOrEqual(w.stepFirstRuns);
    // Three model turns a task, each its own step, besides load, patch, submit and report.
    expect(w.stepCalls).toBeGreaterThanOrEqual(3 * 3 + 4 * 3);
    // The coordinator keeps the run in its own SQLite: the orchestrator's isolate counts its rows.
    expect(orchestrator.durableObjects.sqlStatements).toBeGreaterThan(0);
    expect(orchestrator.durableObjects.sqlRowsWritten).toBeGreaterThan(0);
    expect(orchestrator.durableObjects.sqlRowsRead).toBeGreaterThan(0);
    expect(agent.durableObjects.sqlStatements).toBe(0);
    // D1 is the read model: every statement's rows are seen, Drizzle's raw() selects included.
    expect(orchestrator.d1.rowsWritten).toBeGreaterThan(0);
    expect(orchestrator.d1.rowsRead).toBeGreaterThan(0);
    expect(orchestrator.d1.statements).toBeGreaterThanOrEqual(orchestrator.d1.queries);
    // Blobs, the manifest, patches and transcripts are written; snapshots and patches read back.
    expect(orchestrator.r2.byOperation.put).toBeGreaterThan(0);
    expect(agent.r2.byOperation.put).toBeGreaterThan(0);
    expect(agent.r2.classB).toBeGreaterThan(0);
    const usage = usageOf(orchestrator, agent);
    expect(usage.durableObjectRequests).toBeGreaterThanOrEqual(
      agent.durableObjects.requests + orchestrator.durableObjects.requests,
    );
  });

  it("without BERNSTEIN_METER there is no meter route", async () => {
    const stack = await startLocalStack({
      bundles: workerBundles(),
      token: "off-token-0123456789",
      auditKey: "d".repeat(64),
      env: {},
    });
    try {
      const response = await fetch(`${stack.url}${METER_PATH}`);
      await response.arrayBuffer();
      expect(response.status).toBe(404); // the router knows no such route
      const agentWorker = await stack.miniflare.getWorker("agent");
      const agentResponse = await agentWorker.fetch(`http://agent${METER_PATH}`);
      expect(agentResponse.status).toBe(404);
      await agentResponse.arrayBuffer();
    } finally {
      await stack.stop();
    }
  });
});
