import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError, createRedactor, redactDeep, type Usage } from "@bernstein/core";
import type { Block, Message } from "@bernstein/llm";

/** What the transcript keeps of a model reply beyond its message: enough to replay the turn. */
export interface ReplyFacts {
  stopReason: string;
  usage: Usage;
}

/** A turn's model reply, as its step returns it and a restarted attempt reads it back. */
export interface Reply extends ReplyFacts {
  content: Block[];
}

type Ids = { runId: string; taskId: string; attempt: number };

// Secret shapes only (the agent holds no known secret values to add); built once, not per string.
const redact = createRedactor();

function transcriptKey(ids: Ids): string {
  return keys.attempt(ids.runId, ids.taskId, ids.attempt, "transcript.jsonl");
}

/** The attempt's conversation as its transcript's text, and whether redaction changed its last message. */
export interface TranscriptText {
  text: string;
  /** The last message (the reply of the turn that writes it) cannot be replayed from this text. */
  redacted: boolean;
}

/**
 * The attempt's conversation as JSON lines (one message a line), redacted (core's secret
 * shapes). `facts[i]` is kept on the i-th assistant line, so the transcript is also the turns'
 * journal (`readReplies`). Each turn writes the whole conversation again, so the line of each
 * message is made once and kept (by the message: a message and its facts never change).
 */
export class Transcript {
  private readonly systemLine: string;
  private readonly lines = new WeakMap<Message, { line: string; redacted: boolean }>();

  constructor(system: string) {
    this.systemLine = lineOf({ role: "system", content: system });
  }

  /** The conversation `messages`, whose last is the reply of the turn that writes it. */
  of(messages: readonly Message[], facts: readonly ReplyFacts[]): TranscriptText {
    let replies = 0;
    const lines = messages.map((m) => {
      const fact = m.role === "assistant" ? facts[replies++] : undefined;
      let made = this.lines.get(m);
      if (made === undefined) {
        const entry = fact ? { ...m, ...fact } : m;
        const line = lineOf(entry);
        made = { line, redacted: line !== JSON.stringify(entry) };
        this.lines.set(m, made);
      }
      return made;
    });
    const text = `${[this.systemLine, ...lines.map((l) => l.line)].join("\n")}\n`;
    return { text, redacted: lines.at(-1)?.redacted ?? false };
  }
}

// Each string is redacted on its own, so every line stays valid JSON.
function lineOf(entry: object): string {
  return JSON.stringify(redactDeep(entry, redact));
}

export async function writeTranscript(store: ArtifactStore, ids: Ids, transcript: TranscriptText): Promise<void> {
  await store.putText(transcriptKey(ids), transcript.text);
}

/**
 * The replies the attempt's transcript holds, in turn order (turn `i` answered: `[i]` is its
 * reply), each exactly as its step returned it unless `writeTranscript` said it was redacted.
 * Empty when no turn was written.
 */
export async function readReplies(store: ArtifactStore, ids: Ids): Promise<Reply[]> {
  const text = await store.getText(transcriptKey(ids));
  if (text === null) return [];
  const replies: Reply[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const m = JSON.parse(line) as Partial<Reply> & { role?: string };
    if (m.role !== "assistant") continue;
    if (!Array.isArray(m.content) || typeof m.stopReason !== "string" || typeof m.usage !== "object") {
      throw new BernsteinError("internal", `transcript of ${ids.taskId} a${ids.attempt}: a reply without its facts`);
    }
    replies.push({ content: m.content, stopReason: m.stopReason, usage: m.usage });
  }
  return replies;
}
