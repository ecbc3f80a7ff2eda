import { describe, expect, it } from "vitest";
import { currentOutage, modelUnavailableMs, outageWhat } from "./model-outage.js";
import { describeRunEvent } from "./run-activity.js";
import type { RunEvent } from "./schemas/run-event.js";

const event = (type: RunEvent["type"], data: Record<string, unknown>): RunEvent => ({
  runId: "r_0123456789ab",
  seq: 1,
  at: "2026-12-02T12:00:00.000Z",
  type,
  taskId: null,
  data,
});

describe("model outages", () => {
  it("reads the pause threshold in minutes, fractions allowed, else 10", () => {
    expect(modelUnavailableMs(undefined)).toBe(600_000);
    expect(modelUnavailableMs("0.1")).toBe(6_000);
    expect(modelUnavailableMs("3")).toBe(180_000);
    for (const bad of ["", " ", "soon", "0", "-1"]) expect(modelUnavailableMs(bad)).toBe(600_000);
  });

  it("describes model.retrying and model.available in one line each", () => {
    const titles = () => undefined;
    expect(
      describeRunEvent(event("model.retrying", { provider: "anthropic", status: 529, retry_in: 7.2 }), titles),
    ).toEqual({
      text: "model unavailable: anthropic 529, retrying in 8s",
      tone: "warn",
    });
    expect(
      describeRunEvent(event("model.retrying", { provider: "openai", status: null, retry_in: 1 }), titles).text,
    ).toBe("model unavailable: openai unreachable, retrying in 1s");
    expect(
      describeRunEvent(event("model.available", { provider: "anthropic", down_s: 61.6, resumed: true }), titles),
    ).toEqual({ text: "anthropic answers again after 62s; run resumed", tone: "ok" });
    expect(outageWhat(undefined, undefined)).toBe("the model unreachable");
  });

  it("knows the outage under way from the activity feed", () => {
    const retrying = { type: "model.retrying", text: "model unavailable: anthropic 503, retrying in 2s" };
    const available = { type: "model.available", text: "anthropic answers again" };
    const other = { type: "cost", text: "t1: $0.01" };
    expect(currentOutage([retrying, other])).toBe(retrying.text);
    expect(currentOutage([retrying, available, other])).toBeUndefined();
    expect(currentOutage([available, retrying])).toBe(retrying.text);
    expect(currentOutage([other])).toBeUndefined();
  });
});
