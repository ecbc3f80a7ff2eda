import type { Attempt } from "@bernstein/core";
import { client } from "../api.js";
import { useLoad } from "../hooks/use-load.js";
import { ErrorNotice } from "./ErrorNotice.js";

interface Block {
  type: string;
  text?: string;
  name?: string;
  input?: unknown;
  content?: string;
  isError?: boolean;
}

interface Message {
  role: string;
  content: string | Block[];
}

/** The attempt's conversation with the model (`transcript.jsonl`, one message a line). */
export function TranscriptPanel({ attempt }: { attempt: Attempt }) {
  const key = `runs/${attempt.runId}/tasks/${attempt.taskId}/a${attempt.n}/transcript.jsonl`;
  const transcript = useLoad(async () => {
    const text = new TextDecoder().decode(await client.getArtifact(key));
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Message);
  }, [key, attempt.turns, attempt.status]);
  if (transcript.error) {
    if (transcript.error.code === "not_found") return <p>Attempt {attempt.n} has no transcript yet.</p>;
    return <ErrorNotice error={transcript.error} what="reading the transcript failed" />;
  }
  if (!transcript.data) return <p aria-busy="true">Loading the transcript…</p>;
  return (
    <ol className="transcript">
      {transcript.data.map((message, i) => (
        <li key={i} className={`message role-${message.role}`}>
          <div className="role">{message.role}</div>
          {typeof message.content === "string" ? (
            <pre>{message.content}</pre>
          ) : (
            message.content.map((block, j) => <BlockView key={j} block={block} />)
          )}
        </li>
      ))}
    </ol>
  );
}

function BlockView({ block }: { block: Block }) {
  if (block.type === "text") return <pre>{block.text}</pre>;
  if (block.type === "tool_use") {
    return (
      <details>
        <summary>
          tool call <code>{block.name}</code>
        </summary>
        <pre>{JSON.stringify(block.input, null, 2)}</pre>
      </details>
    );
  }
  if (block.type === "tool_result") {
    return (
      <details>
        <summary>tool result{block.isError ? " (error)" : ""}</summary>
        <pre>{block.content}</pre>
      </details>
    );
  }
  return <pre>{JSON.stringify(block)}</pre>;
}
