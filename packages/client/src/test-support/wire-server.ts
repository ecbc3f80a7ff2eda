import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunEvent, RunView } from "@bernstein/core";

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface WireServer {
  url: string;
  /** Every request seen: method, path with query, authorization header. */
  requests: { method: string; url: string; authorization: string | undefined; body: Buffer }[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server speaking the orchestrator's wire format for one test. The client's
 * own behaviour (headers, error bodies, SSE reconnects) is what is under test here; the real
 * orchestrator is exercised by the CLI's end-to-end tests.
 */
export async function startWireServer(handler: Handler): Promise<WireServer> {
  const requests: WireServer["requests"] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, body });
      Promise.resolve(handler(req, res, body)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** One SSE frame as the orchestrator writes it. */
export function sseFrame(event: RunEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const RUN_ID = "r_0123456789ab";
const AT = "2026-11-26T12:00:00.000Z";

/** A valid run event for the schema. */
export function makeEvent(seq: number, type: RunEvent["type"] = "log", data: Record<string, unknown> = {}): RunEvent {
  return { runId: RUN_ID, seq, at: AT, type, taskId: null, data };
}

/** A valid RunView with no tasks. */
export function makeRunView(status: RunView["status"] = "running"): RunView {
  return {
    id: RUN_ID,
    goal: "test goal",
    status,
    model: "anthropic/claude-sonnet-4-5",
    plannerModel: "anthropic/claude-sonnet-4-5",
    maxAgents: 4,
    maxRetries: 2,
    budgetUsd: null,
    spentUsd: 0,
    baseSnapshot: "a".repeat(64),
    baseCommit: null,
    verifyCommands: [],
    approveAll: false,
    integrationSeq: 0,
    integrationManifest: "a".repeat(64),
    error: null,
    createdAt: AT,
    updatedAt: AT,
    finishedAt: null,
    tasks: [],
    seq: 0,
  };
}
