import { createClient, loadRunState } from "@bernstein/client";
import { type RunState, runFigures } from "@bernstein/core";
import { CALCULATOR_TASKS, calculatorScript, type DropProxy, startDropProxy } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MonitorApp, type MonitorOutcome } from "../src/index.js";
import { renderTui } from "./support/render-tui.js";
import { startTestStack, type TestStack, TOKEN } from "./support/stack.js";

let t: TestStack;
let proxy: DropProxy;

beforeAll(async () => {
  // Tests that act on a running task hold the model's answers (t.model.hold()) meanwhile.
  t = await startTestStack(calculatorScript());
  proxy = await startDropProxy(t.stack.url);
});
afterAll(async () => {
  await proxy?.close();
  await t?.stop();
});

describe("the monitor on the local stack", () => {
  it("x then y cancels the selected task through the API", async () => {
    const release = t.model.hold(); // Add multiply cannot finish before it is cancelled
    const run = await t.startCalculatorRun();
    const tui = renderTui(<MonitorApp api={t.client} runId={run.id} />);
    await tui.waitFor((f) => /t1\s+Add multiply .*◑ in_progress/.test(f), "Add multiply in progress");
    await tui.press("x");
    await tui.waitFor(
      (f) => f.includes('Cancel task t1 "Add multiply"? [y/n]'),
      'Cancel task t1 "Add multiply"? [y/n]',
    );
    await tui.press("y");
    await tui.waitFor((f) => f.includes("cancelled Add multiply"), "the cancel's notice");
    const multiply = run.tasks.find((task) => task.title === CALCULATOR_TASKS.multiply);
    expect((await t.client.getTask(multiply?.id as string)).status).toBe("cancelled");
    release();
    const frame = await tui.waitFor((f) => f.includes("✖ failed"), "the run's end");
    expect(frame).toMatch(/t1\s+Add multiply .*⊗ cancelled/);
    expect(frame).toMatch(/t3\s+Document multiply .*⊘ blocked/);
    tui.unmount();
  });

  it("a approves, r then y rejects, R retries the selected task through the API", async () => {
    const run = await t.startCalculatorRun({ approveAll: true });
    const id = (title: string) => run.tasks.find((task) => task.title === title)?.id as string;
    const tui = renderTui(<MonitorApp api={t.client} runId={run.id} />);
    await tui.waitFor((f) => /t1\s+Add multiply .*\? pending_approval/.test(f), "Add multiply waiting for approval");
    await tui.press("a");
    await tui.waitFor((f) => f.includes("approved Add multiply"), "the approval's notice");
    await tui.waitFor((f) => /t1\s+Add multiply .*✔ merged/.test(f), "Add multiply merged");
    await tui.waitFor((f) => /t2\s+Add divide .*\? pending_approval/.test(f), "Add divide waiting for approval");
    // One chunk, as when typed fast or pasted: "r" acts on the row "j" moved to.
    await tui.press("jr");
    await tui.waitFor((f) => f.includes('Reject task t2 "Add divide"? [y/n]'), 'Reject task t2 "Add divide"? [y/n]');
    await tui.press("y");
    await tui.waitFor((f) => /t2\s+Add divide .*✖ failed/.test(f), "Add divide rejected");
    const rejected = await t.client.getTask(id(CALCULATOR_TASKS.divide));
    expect(rejected.error).toMatchObject({ code: "rejected", message: "rejected in the monitor" });
    await tui.press("R");
    await tui.waitFor((f) => f.includes("retrying Add divide"), "the retry's notice");
    await tui.waitFor((f) => /t2\s+Add divide .*\? pending_approval\s+2 /.test(f), "the second attempt waiting");
    expect((await t.client.getTask(id(CALCULATOR_TASKS.divide))).attempt).toBe(2);
    await t.client.cancelRun(run.id);
    tui.unmount();
  });

  it("shows the API's refusal when an action is not allowed", async () => {
    const run = await t.startCalculatorRun();
    const tui = renderTui(<MonitorApp api={t.client} runId={run.id} />);
    await tui.waitFor((f) => f.includes("✔ completed"), "the run's end", 30_000);
    // One chunk: "y" answers the question "x" opened before any render.
    await tui.press("xy");
    const frame = await tui.waitFor((f) => f.includes("error:"), "the refusal");
    expect(frame).toMatch(/error: illegal_transition: /);
    tui.unmount();
  });

  it("shows reconnecting when the event connection drops, and ends on the same state", async () => {
    const release = t.model.hold(); // the run goes on (its stream open) until the drop was seen
    const run = await t.startCalculatorRun();
    const cut = createClient({ baseUrl: proxy.url, token: TOKEN });
    const exits: (MonitorOutcome | Error)[] = [];
    const tui = renderTui(
      <MonitorApp api={cut} runId={run.id} exitWhenDone reconnectDelayMs={400} onExit={(e) => exits.push(e)} />,
    );
    await tui.waitFor((f) => f.includes("◑ in_progress") && f.includes("● live"), "a task in progress");
    expect(proxy.dropAll()).toBeGreaterThan(0);
    await tui.waitFor((f) => f.includes("↻ reconnecting"), "the reconnecting notice");
    await tui.waitFor((f) => f.includes("● live"), "the stream back");
    release();
    await tui.waitFor(() => exits.length > 0, "the monitor to leave at the run's end", 30_000);
    const outcome = exits[0] as MonitorOutcome;
    expect(outcome.reason).toBe("ended");
    const direct = await loadRunState(t.client, run.id);
    expect(outcome.state).toEqual(direct);
    const final = outcome.state as RunState;
    expect(runFigures(final, 0)).toMatchObject({ total: 3, merged: 3 });
    const frame = tui.frame();
    expect(frame).toContain("3/3 merged");
    for (const title of ["Add multiply", "Add divide", "Document multiply"]) {
      expect(frame).toMatch(new RegExp(`${title}.*✔ merged`));
    }
  });

  it("says no runner is connected while the run's verifications wait for one", async () => {
    // This stack has no runner: the verification jobs of the finished attempts wait.
    const run = await t.startCalculatorRun({ verifyCommands: ["true"] });
    const tui = renderTui(<MonitorApp api={t.client} runId={run.id} />);
    const frame = await tui.waitFor(
      (f) => /no runner connected: \d+ verifications? waiting; start one with `bernstein runner`/.test(f),
      "the no-runner line",
      120_000,
    );
    expect(frame).toContain("⚠ no runner connected");
    await t.client.cancelRun(run.id);
    await tui.waitFor((f) => !f.includes("no runner connected"), "the line gone once the run ended", 60_000);
    tui.unmount();
  });
});
