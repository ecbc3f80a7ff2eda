import { createServer } from "node:net";
import { BernsteinError } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { makeRunView, RUN_ID, sendJson, startWireServer, type WireServer } from "./test-support/wire-server.js";

const TOKEN = "tok_secret_123456";
let server: WireServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function caught(promise: Promise<unknown>): Promise<BernsteinError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BernsteinError);
  return error as BernsteinError;
}

describe("createClient", () => {
  it("sends the bearer token and parses a RunView", async () => {
    server = await startWireServer((_req, res) => sendJson(res, 200, makeRunView()));
    const client = createClient({ baseUrl: `${server.url}/`, token: TOKEN });
    const run = await client.getRun(RUN_ID);
    expect(run.id).toBe(RUN_ID);
    expect(server.requests[0]).toMatchObject({ method: "GET", url: `/v1/runs/${RUN_ID}` });
    expect(server.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("turns an {error:{code,message}} body into a BernsteinError without the token", async () => {
    server = await startWireServer((_req, res) =>
      sendJson(res, 404, { error: { code: "not_found", message: "no run r_000000000000" } }),
    );
    const error = await caught(createClient({ baseUrl: server.url, token: TOKEN }).getRun(RUN_ID));
    expect(error.code).toBe("not_found");
    expect(error.message).toBe("no run r_000000000000");
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(TOKEN);
  });

  it("maps a non-JSON 502 to stack_unreachable and a non-JSON 500 to internal", async () => {
    let status = 502;
    server = await startWireServer((_req, res) => {
      res.writeHead(status, { "content-type": "text/html" });
      res.end("<html>bad gateway</html>");
    });
    const client = createClient({ baseUrl: server.url, token: TOKEN });
    expect((await caught(client.listRuns())).code).toBe("stack_unreachable");
    status = 500;
    expect((await caught(client.listRuns())).code).toBe("internal");
  });

  it("names the URL when the stack refuses connections", async () => {
    const port = await closedPort();
    const client = createClient({ baseUrl: `http://user:pw@127.0.0.1:${port}`, token: TOKEN });
    const error = await caught(client.health());
    expect(error.code).toBe("stack_unreachable");
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain("pw");
  });

  it("reports a timeout as stack_unreachable", async () => {
    server = await startWireServer(() => new Promise(() => undefined));
    const client = createClient({ baseUrl: server.url, token: TOKEN, timeoutMs: 200 });
    const error = await caught(client.listRuns());
    expect(error.code).toBe("stack_unreachable");
    expect(error.message).toMatch(/no answer within/);
  });

  it("rejects a response that does not match the schema as internal", async () => {
    server = await startWireServer((_req, res) => sendJson(res, 200, { runs: [{ id: "nope" }] }));
    const error = await caught(createClient({ baseUrl: server.url }).listRuns());
    expect(error.code).toBe("internal");
    expect(error.message).toContain("GET /v1/runs");
  });

  it("asks for missing blobs in chunks of 10,000", async () => {
    server = await startWireServer((_req, res, body) => {
      const { hashes } = JSON.parse(body.toString()) as { hashes: string[] };
      sendJson(res, 200, { missing: hashes.slice(0, 1) });
    });
    const hashes = Array.from({ length: 25_000 }, (_, i) => i.toString(16).padStart(64, "0"));
    const missing = await createClient({ baseUrl: server.url }).missingBlobs(hashes);
    expect(server.requests.map((r) => (JSON.parse(r.body.toString()) as { hashes: string[] }).hashes.length)).toEqual([
      10_000, 10_000, 5_000,
    ]);
    expect(missing).toEqual([hashes[0], hashes[10_000], hashes[20_000]]);
  });

  it("puts and gets raw blob bytes", async () => {
    const stored = new Map<string, Buffer>();
    server = await startWireServer((req, res, body) => {
      const sha = (req.url ?? "").split("/").pop() ?? "";
      if (req.method === "PUT") {
        stored.set(sha, body);
        sendJson(res, 200, { sha256: sha, bytes: body.length });
      } else {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(stored.get(sha));
      }
    });
    const client = createClient({ baseUrl: server.url });
    const sha = "b".repeat(64);
    const bytes = new Uint8Array([0, 1, 2, 255, 10]);
    expect(await client.putBlob(sha, bytes.subarray(1))).toEqual({ sha256: sha, bytes: 4 });
    expect(server.requests[0]?.body).toEqual(Buffer.from([1, 2, 255, 10]));
    expect(Array.from(await client.getBlob(sha))).toEqual([1, 2, 255, 10]);
    // A Buffer carved out of Node's shared pool must send only its own bytes.
    const pooled = Buffer.from("xxhello").subarray(2);
    await client.putBlob(sha, pooled);
    expect(server.requests[2]?.body.toString()).toBe("hello");
  });

  it("refuses an invalid run request before sending it", async () => {
    server = await startWireServer((_req, res) => sendJson(res, 200, makeRunView()));
    const error = await caught(createClient({ baseUrl: server.url }).createRun({ goal: "", baseSnapshot: "x" }));
    expect(error.code).toBe("invalid_body");
    expect(server.requests).toHaveLength(0);
  });

  it("encodes artifact keys per segment", async () => {
    server = await startWireServer((_req, res) => {
      res.writeHead(200);
      res.end("log text");
    });
    const bytes = await createClient({ baseUrl: server.url }).getArtifact("runs/r_1/tasks/t 1/a1/verify.log");
    expect(new TextDecoder().decode(bytes)).toBe("log text");
    expect(server.requests[0]?.url).toBe("/v1/artifacts/runs/r_1/tasks/t%201/a1/verify.log");
  });

  it("refuses a base URL that is not http(s)", () => {
    expect(() => createClient({ baseUrl: "ftp://x" })).toThrow(/http or https/);
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
