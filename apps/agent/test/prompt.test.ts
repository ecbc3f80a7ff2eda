import type { AttemptContext } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { taskMessage } from "../src/agent/prompt.js";

const ctx = {
  task: {
    title: "Add multiply",
    description: "Add a multiply function.",
    role: "code",
    ownedFiles: [],
    completionSignals: [],
  },
  feedback: null,
} as unknown as AttemptContext;

const paths = (n: number) => Array.from({ length: n }, (_, i) => `src/f${String(i).padStart(4, "0")}.txt`);

describe("the task message's file listing", () => {
  it("lists every path of a small tree", () => {
    const message = taskMessage(ctx, paths(3));
    expect(message).toContain("The repository's files:\nsrc/f0000.txt\nsrc/f0001.txt\nsrc/f0002.txt");
    expect(message).not.toMatch(/more \(list_files/);
  });

  it("lists the first 200 paths of a large tree and says how many more there are", () => {
    const message = taskMessage(ctx, paths(1_000));
    expect(message).toContain("The repository has 1000 files. The first 200:\nsrc/f0000.txt\n");
    expect(message).toContain("\nsrc/f0199.txt\n… and 800 more (list_files shows them by folder).");
    expect(message).not.toContain("src/f0200.txt");
    expect(message.startsWith("Task: Add multiply\n\nAdd a multiply function.")).toBe(true);
  });
});
