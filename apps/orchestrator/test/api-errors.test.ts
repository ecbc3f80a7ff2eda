import { calculatorScript } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack(calculatorScript());
}, 60_000);
afterAll(() => t?.stop());

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

describe("the API's edges", () => {
  it("serves /healthz without a token", async () => {
    const res = await t.api("/healthz", { auth: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("answers 401 without a token and 403 with a wrong one, on every /v1 route", async () => {
    for (const path of ["/v1/runs", "/v1/blobs/missing", "/v1/no-such-route"]) {
      expect(await errorOf(await t.api(path, { auth: false }))).toMatchObject({ status: 401, code: "unauthorized" });
      expect(await errorOf(await t.api(path, { auth: "wrong-token" }))).toMatchObject({
        status: 403,
        code: "forbidden",
      });
    }
    const notBearer = await t.api("/v1/runs", { auth: false, headers: { authorization: "Basic abc" } });
    expect(notBearer.status).toBe(401);
  });

  it("answers 404 for unknown routes and ids, malformed or not", async () => {
    expect(await errorOf(await t.api("/v1/nothing-here"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await t.api("/v1/runs/r_000000000000"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await t.api("/v1/runs/not-an-id"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await t.api("/v1/tasks/t_000000000000"))).toMatchObject({ status: 404, code: "not_found" });
    expect((await t.api("/v1/runs/r_000000000000/events")).status).toBe(404);
    expect((await t.api(`/v1/snapshots/${"0".repeat(64)}`)).status).toBe(404);
    expect((await t.api("/v1/artifacts/../../etc/passwd")).status).toBe(404);
  });

  it("answers 400 invalid_body for malformed JSON and wrong shapes", async () => {
    const notJson = await t.api("/v1/runs", { method: "POST", body: "{nope" });
    expect(await errorOf(notJson)).toMatchObject({ status: 400, code: "invalid_body" });
    const wrong = await t.api("/v1/runs", { method: "POST", body: JSON.stringify({ goal: "" }) });
    const err = await errorOf(wrong);
    expect(err).toMatchObject({ status: 400, code: "invalid_body" });
    expect(err.message).toMatch(/goal/);
  });
});
