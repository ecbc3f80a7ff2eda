import { emptyMeterCounts, type MeterCounts } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { freeFit, paidCost, usageOf } from "./cost-estimate.js";

function countsOf(worker: string, patch: (c: MeterCounts) => void): MeterCounts {
  const c = emptyMeterCounts(worker);
  patch(c);
  return c;
}

describe("pricing a metered run", () => {
  const orchestrator = countsOf("orchestrator", (c) => {
    c.invocations.fetch = 900;
    c.durableObjects.requests = 100;
    c.durableObjects.alarms = 10;
    c.durableObjects.sqlRowsWritten = 9_000;
    c.durableObjects.kvWrites = 1_000;
    c.d1.rowsWritten = 5_000;
    c.r2.classA = 300;
  });
  const agent = countsOf("agent", (c) => {
    c.workflows.runs = 100;
    c.durableObjects.requests = 890;
  });
  const usage = usageOf(orchestrator, agent);

  it("adds both Workers up, alarms as requests and KV calls as rows", () => {
    expect(usage).toMatchObject({
      workersRequests: 900,
      workflowInvocations: 100,
      durableObjectRequests: 1_000,
      durableObjectRowsWritten: 10_000,
      d1RowsWritten: 5_000,
      r2ClassA: 300,
    });
  });

  it("finds the Free limit that binds first", () => {
    const free = freeFit(usage);
    // 100,000 rows written a day over 10,000 a run: 10 runs; D1's 5,000 a run would allow 20.
    expect(free.runsPerDay).toBe(10);
    expect(free.binding).toBe("Durable Objects SQLite rows written");
    expect(free.limits.find((l) => l.name === "Workers + Workflows requests")?.perRun).toBe(1_000);
  });

  it("prices a run on Paid beyond the included usage", () => {
    const paid = paidCost(usage);
    // 1,000 requests at $0.30/M, 1,000 DO requests at $0.15/M, 15,000 rows written at $1/M, 300 Class A at $4.50/M.
    expect(paid.usdPerRun).toBeCloseTo(0.0003 + 0.00015 + 0.01 + 0.005 + 0.00135, 10);
    expect(paid.binding).toBe("Durable Objects requests");
    expect(paid.runsIncludedPerMonth).toBe(1_000);
  });
});
