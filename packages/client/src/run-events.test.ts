import type { RunEvent } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import {
  makeEvent,
  makeRunView,
  RUN_ID,
  sendJson,
  sseFrame,
  startWireServer,
  type WireServer,
} from "./test-support/wire-server.js";

let server: WireServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const terminal = (seq: number) => makeEvent(seq, "run.status", { from: "running", to: "completed" });

async function collect(iterable: AsyncIterable<RunEvent>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const event of iterable) seqs.push(event.seq);
  return seqs;
}

function afterParam(url: string): number {
  return Number(new URL(url, "http://x").searchParams.get("after"));
}

describe("events", () => {
  it("reconnects after a dropped connection without duplicates or gaps", async () => {
    let connection = 0;
    server = await startWireServer((req, res) => {
      connection++;
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (connection === 1) {
        // seq 1..3, then half of seq 4, then the socket dies.
        res.write([1, 2, 3].map((s) => sseFrame(makeEvent(s))).join(""));
        res.write(sseFrame(makeEvent(4)).slice(0, 20));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      // A server that replays from an older seq: the client must drop what it already has.
      const from = afterParam(req.url ?? "") - 1;
      for (let s = Math.max(1, from); s <= 5; s++) res.write(sseFrame(makeEvent(s)));
      res.end(sseFrame(terminal(6)));
    });
    const client = createClient({ baseUrl: server.url, token: "t" });
    const seqs = await collect(client.events(RUN_ID, { reconnectDelayMs: 10 }));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.requests.map((r) => afterParam(r.url))).toEqual([0, 3]);
    expect(server.requests.every((r) => r.authorization === "Bearer t")).toBe(true);
  });

  it("starts after the given seq and ends when the server closes after a terminal event", async () => {
    server = await startWireServer((req, res) => {
      const after = afterParam(req.url ?? "");
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": keep-alive\n\n");
      for (let s = after + 1; s <= 3; s++) res.write(sseFrame(makeEvent(s)));
      res.end(sseFrame(terminal(4)));
    });
    expect(await collect(createClient({ baseUrl: server.url }).events(RUN_ID, { after: 2 }))).toEqual([3, 4]);
  });

  it("ends when a reconnect finds the run over and nothing new", async () => {
    server = await startWireServer((req, res) => {
      if ((req.url ?? "").includes("/events")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end();
        return;
      }
      sendJson(res, 200, makeRunView("failed"));
    });
    expect(await collect(createClient({ baseUrl: server.url }).events(RUN_ID, { after: 9 }))).toEqual([]);
    expect(server.requests.map((r) => r.url)).toEqual([`/v1/runs/${RUN_ID}/events?after=9`, `/v1/runs/${RUN_ID}`]);
  });

  it("ends quietly when the signal aborts", async () => {
    server = await startWireServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sseFrame(makeEvent(1)));
    });
    const controller = new AbortController();
    const seqs: number[] = [];
    for await (const event of createClient({ baseUrl: server.url }).events(RUN_ID, { signal: controller.signal })) {
      seqs.push(event.seq);
      controller.abort();
    }
    expect(seqs).toEqual([1]);
  });

  it("throws a 404 at once instead of reconnecting", async () => {
    server = await startWireServer((_req, res) =>
      sendJson(res, 404, { error: { code: "not_found", message: "no such run" } }),
    );
    await expect(collect(createClient({ baseUrl: server.url }).events(RUN_ID))).rejects.toMatchObject({
      code: "not_found",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("gives up with stack_unreachable after the reconnect limit", async () => {
    server = await startWireServer((req) => {
      req.socket.destroy();
    });
    await expect(
      collect(createClient({ baseUrl: server.url }).events(RUN_ID, { maxReconnects: 2, reconnectDelayMs: 5 })),
    ).rejects.toMatchObject({ code: "stack_unreachable" });
    expect(server.requests).toHaveLength(3);
  });
});
