import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { redactDeep, redactSecrets } from "@bernstein/core";
import type { Message } from "@bernstein/llm";

/** Writes the attempt's conversation so far as JSON lines (one message a line), redacted (core's `redactSecrets`). */
export async function writeTranscript(
  store: ArtifactStore,
  ids: { runId: string; taskId: string; attempt: number },
  system: string,
  messages: readonly Message[],
): Promise<void> {
  // Each string is redacted on its own, so every line stays valid JSON.
  const lines = [{ role: "system", content: system }, ...messages].map((m) =>
    JSON.stringify(redactDeep(m, (text) => redactSecrets(text))),
  );
  await store.putText(keys.attempt(ids.runId, ids.taskId, ids.attempt, "transcript.jsonl"), `${lines.join("\n")}\n`);
}
