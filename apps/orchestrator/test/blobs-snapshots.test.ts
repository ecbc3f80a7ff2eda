import { calculatorScript, sha256 } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack(calculatorScript());
}, 60_000);
afterAll(() => t?.stop());

describe("blobs and snapshots", () => {
  it("stores a blob under its hash once, and refuses a body that does not match it", async () => {
    const body = "hello blobs\n";
    const sha = sha256(body);
    const octets = { "content-type": "application/octet-stream" };
    const asJson = await t.api(`/v1/blobs/${sha}`, { method: "PUT", body });
    expect(asJson.status).toBe(415); // blobs are bytes: application/octet-stream
    const wrong = await t.api(`/v1/blobs/${sha}`, { method: "PUT", body: "something else", headers: octets });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: "hash_mismatch" } });
    expect((await t.api(`/v1/blobs/${sha}`)).status).toBe(404); // nothing was written

    expect((await t.api(`/v1/blobs/${sha}`, { method: "PUT", body, headers: octets })).status).toBe(201);
    expect((await t.api(`/v1/blobs/${sha}`, { method: "PUT", body, headers: octets })).status).toBe(200);
    expect(await (await t.api(`/v1/blobs/${sha}`)).text()).toBe(body);

    const other = sha256("not uploaded");
    const missing = await t.api("/v1/blobs/missing", {
      method: "POST",
      body: JSON.stringify({ hashes: [sha, other] }),
    });
    expect(await missing.json()).toEqual({ missing: [other] });
  });

  it("accepts a manifest only when every blob is stored and every path is clean", async () => {
    const text = "export const x = 1;\n";
    const sha = sha256(text);
    const entry = { sha256: sha, mode: "100644", size: text.length };
    const before = await t.api("/v1/snapshots", {
      method: "POST",
      body: JSON.stringify({ manifest: { "src/x.ts": entry } }),
    });
    expect(before.status).toBe(400);
    expect(await before.json()).toMatchObject({ error: { code: "invalid_body" } });

    await t.api(`/v1/blobs/${sha}`, {
      method: "PUT",
      body: text,
      headers: { "content-type": "application/octet-stream" },
    });
    const escaping = await t.api("/v1/snapshots", {
      method: "POST",
      body: JSON.stringify({ manifest: { "../x.ts": entry } }),
    });
    expect(escaping.status).toBe(400);

    const ok = await t.api("/v1/snapshots", {
      method: "POST",
      body: JSON.stringify({ manifest: { "src/x.ts": entry } }),
    });
    expect(ok.status).toBe(201);
    const { sha256: snapshot } = (await ok.json()) as { sha256: string };
    const back = await t.api(`/v1/snapshots/${snapshot}`);
    expect(await back.json()).toEqual({ sha256: snapshot, manifest: { "src/x.ts": entry } });
  });
});
