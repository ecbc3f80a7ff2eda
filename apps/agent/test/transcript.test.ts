import { env } from "cloudflare:test";
import { createArtifactStore, keys } from "@bernstein/artifacts";
import type { Message } from "@bernstein/llm";
import { describe, expect, it } from "vitest";
import { type Reply, readReplies, Transcript, writeTranscript } from "../src/agent/transcript.js";

const usage = (outputTokens: number) => ({ inputTokens: 10, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 });

function ids() {
  return { runId: `r_${crypto.randomUUID().slice(0, 8)}`, taskId: "t1", attempt: 1 };
}

// The transcript each turn writes is also the turns' journal: a restarted attempt reads its
// replies back from it instead of calling the model again.
describe("the transcript", () => {
  it("gives back each reply, with its stop reason and usage, in turn order", async () => {
    const store = createArtifactStore(env.ARTIFACTS);
    const at = ids();
    const first: Reply = {
      content: [{ type: "tool_use", id: "c1", name: "write_file", input: { path: "a.md", content: "a\n" } }],
      stopReason: "tool_use",
      usage: usage(7),
    };
    const second: Reply = { content: [{ type: "text", text: "done" }], stopReason: "end_turn", usage: usage(3) };
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: "task" }] },
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", toolUseId: "c1", content: "ok" }] },
      { role: "assistant", content: second.content },
    ];
    expect(await readReplies(store, at)).toEqual([]);
    const written = new Transcript("system").of(messages, [first, second]);
    expect(written.redacted).toBe(false);
    await writeTranscript(store, at, written);
    expect(await readReplies(store, at)).toEqual([first, second]);
    // Still one message a line, the system prompt first.
    const text = await store.getText(keys.attempt(at.runId, at.taskId, at.attempt, "transcript.jsonl"));
    expect(
      text
        ?.trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { role: string }).role),
    ).toEqual(["system", "user", "assistant", "user", "assistant"]);
  });

  it("says when redaction changed the last reply, which then cannot be replayed from it", () => {
    const secret = `sk-ant-${"a1".repeat(12)}`;
    const reply: Reply = {
      content: [{ type: "text", text: `the key is ${secret}` }],
      stopReason: "end_turn",
      usage: usage(1),
    };
    const written = new Transcript("system").of([{ role: "assistant", content: reply.content }], [reply]);
    expect(written.redacted).toBe(true);
    expect(written.text).not.toContain(secret);
    // A secret in an earlier message (a tool result) is redacted too, and does not mark the reply.
    const later = new Transcript("system").of(
      [
        { role: "user", content: [{ type: "text", text: secret }] },
        { role: "assistant", content: [{ type: "text", text: "ok" }] },
      ],
      [{ stopReason: "end_turn", usage: usage(1) }],
    );
    expect(later.redacted).toBe(false);
    expect(later.text).not.toContain(secret);
  });

  it("writes a growing conversation as a fresh transcript of it would", () => {
    const transcript = new Transcript("system");
    const reply: Reply = { content: [{ type: "text", text: "one" }], stopReason: "end_turn", usage: usage(1) };
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: "task" }] },
      { role: "assistant", content: reply.content },
    ];
    transcript.of(messages, [reply]);
    messages.push({ role: "user", content: [{ type: "text", text: "more" }] }, { role: "assistant", content: [] });
    const facts = [reply, { stopReason: "max_tokens", usage: usage(2) }];
    expect(transcript.of(messages, facts)).toEqual(new Transcript("system").of(messages, facts));
  });
});
