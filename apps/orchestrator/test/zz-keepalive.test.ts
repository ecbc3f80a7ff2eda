import { request as httpRequest, Agent } from "node:http";
import { calculatorScript } from "@bernstein/testing";
import { afterAll, beforeAll, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

let t: TestStack;
beforeAll(async () => { t = await startTestStack(calculatorScript()); }, 60_000);
afterAll(() => t?.stop());

function call(agent: Agent, method: string, path: string, body: string | undefined, auth = true): Promise<string> {
  const url = new URL(t.stack.url + path);
  return new Promise((resolve) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path, method, headers: { ...(auth ? { authorization: `Bearer ${t.stack.token}` } : {}), "content-type": "application/json", ...(body !== undefined ? { "content-length": Buffer.byteLength(body) } : {}) } }, (res) => {
      let data = ""; res.on("data", (c) => (data += c)); res.on("end", () => resolve(`${res.statusCode} ${data.slice(0, 60)}`));
    });
    req.on("error", (e) => resolve(`ERR ${(e as NodeJS.ErrnoException).code}`));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

it("keepalive", async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const out: Record<string, number> = {};
  for (let i = 0; i < 20; i++) {
    for (const [m, p, b, a] of [["POST", "/v1/runs/r_000000000000/cancel", "x".repeat(100000), true], ["POST", "/v1/runs", "{", false], ["GET", "/v1/runs", "y".repeat(70000), true]] as const) {
      const r = await call(agent, m, p, b, a);
      out[`${m} ${p} ${r}`] = (out[`${m} ${p} ${r}`] ?? 0) + 1;
    }
  }
  const t0 = Date.now(); for (let i = 0; i < 500; i++) await call(agent, "POST", "/v1/runs", "{", false); console.log("500 x 401 over keep-alive:", Date.now() - t0, "ms");
  const t1 = Date.now(); for (let i = 0; i < 500; i++) await call(agent, "POST", "/v1/runs", "{", true); console.log("500 x 400:", Date.now() - t1, "ms");
  const mf = t.stack.miniflare;
  const t2 = Date.now(); for (let i = 0; i < 500; i++) await mf.dispatchFetch(`${t.stack.url}/v1/runs`, { method: "POST", body: "{", headers: { authorization: `Bearer ${t.stack.token}`, "content-type": "application/json" } }).then((r) => r.text()); console.log("500 x dispatchFetch 400:", Date.now() - t2, "ms");
  console.log(out);
});
