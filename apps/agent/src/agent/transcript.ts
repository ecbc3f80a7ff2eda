import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { redactSecrets } from "@bernstein/core";
import type { Message } from "@bernstein/llm";

/** Writes the attempt's conversation so far as JSON lines (one message a line), redacted (core's `redactSecrets`). */
export async function writeTranscript(
  store: ArtifactStore,
  ids: { runId: string; taskId: string; attempt: number },
  system: string,
  messages: readonly Message[],
): Promise<void> {
  const lines = [JSON.stringify({ role: "system", content: system }), ...messages.map((m) => JSON.stringify(m))];
  const text = redactSecrets(`${lines.join("\n")}\n`);
  await store.putText(keys.attempt(ids.runId, ids.taskId, ids.attempt, "transcript.jsonl"), text);
}
