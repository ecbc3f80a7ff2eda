import type { RunView, TaskView } from "@bernstein/core";
import { readEvents, uploadSnapshot } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

// Two tasks that (wrongly) claim no files both rewrite the first line of NOTES.md. They run in
// parallel; whichever finishes second conflicts and gets a new attempt from the merged tree.
const write = (content: string) => ({ tools: [{ name: "write_file", input: { path: "NOTES.md", content } }] });
const finish = (summary: string) => ({ tools: [{ name: "finish", input: { summary } }] });
const script = {
  tasks: {
    "Write heading A": [write("# A\nshared line\n"), finish("heading A")],
    "Write heading B": [write("# B\nshared line\n"), finish("heading B")],
  },
};
const plan = {
  tasks: [
    { id: "a", title: "Write heading A" },
    { id: "b", title: "Write heading B" },
  ],
};

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack(script);
});
afterAll(() => t?.stop());

describe("merging", () => {
  it("sends a conflicting patch back for a new attempt instead of into the result", async () => {
    const snapshot = await uploadSnapshot(t, { "NOTES.md": "# Notes\nshared line\n" });
    const res = await t.api("/v1/runs", {
      method: "POST",
      body: JSON.stringify({ goal: "headings", baseSnapshot: snapshot.sha256, plan }),
    });
    const run = (await res.json()) as RunView;
    const events = await readEvents(t, run.id);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "completed" } });

    const conflicts = events.filter((e) => e.type === "merge.conflict");
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.data.files).toEqual(["NOTES.md"]);
    const loser = conflicts[0]?.taskId as string;
    const view = (await (await t.api(`/v1/tasks/${loser}`)).json()) as TaskView;
    expect(view.attempts.map((a) => a.status)).toEqual(["conflicted", "succeeded"]);
    expect(view.status).toBe("merged");
    expect(events.filter((e) => e.type === "merge.applied")).toHaveLength(2);
  }, 60_000);
});
