import { BUDGET_LIMITS, type RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  calculatorScript,
  uploadSnapshot,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawClient } from "./support/raw-http.js";
import { startTestStack, type TestStack } from "./support/stack.js";

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack(calculatorScript());
});
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

describe("strict bodies, idempotency and budget caps", () => {
  it("answers a body on a route that takes none with 400, never dropping the keep-alive connection", async () => {
    const client = rawClient(t.stack.url);
    const statuses: number[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        for (const path of [
          "/v1/runs/r_000000000000/cancel",
          "/v1/tasks/t_000000000000/approve",
          "/v1/runs/r_000000000000/resume",
        ]) {
          const body = i % 2 === 0 ? "x".repeat(100_000) : "{}";
          const res = await client.send({
            method: "POST",
            path,
            headers: { authorization: `Bearer ${t.stack.token}` },
            body,
          });
          statuses.push(res.status);
          expect(await errorOfText(res.body)).toMatchObject({
            code: "bad_request",
            message: expect.stringMatching(/takes no body/),
          });
        }
      }
    } finally {
      client.close();
    }
    expect(statuses.every((s) => s === 400)).toBe(true);
  });

  it("refuses unknown fields, duplicate keys, wrong content types and invalid UTF-8, naming what is wrong", async () => {
    const post = (body: string | Uint8Array<ArrayBuffer>, type = "application/json") =>
      t.api("/v1/runs", { method: "POST", body, headers: { "content-type": type } });
    const unknown = await errorOf(await post(JSON.stringify({ goal: "g", baseSnapshot: "0".repeat(64), extra: 1 })));
    expect(unknown).toMatchObject({ status: 400, code: "invalid_body", message: expect.stringMatching(/extra/) });
    const dup = await errorOf(await post('{"goal":"a","goal":"b"}'));
    expect(dup).toMatchObject({ status: 400, message: expect.stringMatching(/duplicate key "goal"/) });
    expect((await errorOf(await post("{}", "text/plain"))).status).toBe(415);
    const utf8 = await errorOf(await post(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])));
    expect(utf8).toMatchObject({ status: 400, message: expect.stringMatching(/UTF-8/) });
    // A create takes up to LIMITS.createRunMaxBytes (16 MiB: a plan of thousands of tasks).
    const huge = await errorOf(await post(JSON.stringify({ goal: "x".repeat(17 * 1024 * 1024) })));
    expect(huge).toMatchObject({ status: 413, message: expect.stringMatching(/limit is 16777216 bytes/) });
  });

  it("answers an idempotency key reused with another body with 409, and caps budget additions", async () => {
    const snapshot = await uploadSnapshot(t, calculatorFiles());
    const body = {
      goal: CALCULATOR_GOAL,
      baseSnapshot: snapshot.sha256,
      plan: CALCULATOR_PLAN,
      budgetUsd: BUDGET_LIMITS.maxRunUsd - 1,
      // No runner serves this stack: the run waits for verification and stays unfinished.
      verifyCommands: ["true"],
      idempotencyKey: "edges-idempotency-0001",
    };
    const create = (b: unknown) => t.api("/v1/runs", { method: "POST", body: JSON.stringify(b) });
    const first = await create(body);
    expect(first.status).toBe(201);
    const run = (await first.json()) as RunView;
    const again = await create(body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as RunView).id).toBe(run.id);
    const other = await errorOf(await create({ ...body, goal: "something else" }));
    expect(other).toMatchObject({ status: 409, code: "conflict", message: expect.stringMatching(/idempotency key/) });

    const add = (addUsd: number) =>
      t.api(`/v1/runs/${run.id}/budget`, { method: "POST", body: JSON.stringify({ addUsd }) });
    expect((await errorOf(await add(BUDGET_LIMITS.maxAddUsd + 1))).status).toBe(400);
    expect(await errorOf(await add(2))).toMatchObject({ status: 422, code: "limit_exceeded" });
    expect((await add(1)).status).toBe(200);
    await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect(await errorOf(await add(1))).toMatchObject({ status: 409, code: "illegal_transition" });
  });
});

async function errorOfText(text: string): Promise<{ code: string; message: string }> {
  return (JSON.parse(text) as { error: { code: string; message: string } }).error;
}
