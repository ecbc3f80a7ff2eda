import type { IncomingMessage, ServerResponse } from "node:http";
import type { SseFrame } from "./anthropic-wire.js";

/** What a provider handler decided to answer. */
export interface Reply {
  status: number;
  /** JSON body (plain answers and errors). */
  json?: unknown;
  /** SSE frames (streamed answers). */
  frames?: SseFrame[];
  headers?: Record<string, string>;
  /** Extra wait before answering (the turn's `delayMs`). */
  delayMs?: number;
  key: string;
  turn: number;
  stream: boolean;
  exhausted: boolean;
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Writes a reply: JSON or an SSE stream, one write per event so clients see real chunking. */
export async function writeReply(res: ServerResponse, reply: Reply): Promise<void> {
  if (reply.frames === undefined) {
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.json ?? null));
    return;
  }
  res.writeHead(reply.status, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...reply.headers,
  });
  for (const frame of reply.frames) {
    const data = typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data);
    res.write(frame.event === undefined ? `data: ${data}\n\n` : `event: ${frame.event}\ndata: ${data}\n\n`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  res.end();
}

const SECRET_HEADERS = new Set(["authorization", "x-api-key", "api-key", "proxy-authorization", "cookie"]);

/** Request headers as recorded: secrets replaced so a test log never holds a key. */
export function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name) ? "[redacted]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The key a request carries: `x-api-key`, or a bearer token. */
export function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header !== "") return header;
  const auth = req.headers.authorization;
  const match = typeof auth === "string" ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match?.[1];
}
