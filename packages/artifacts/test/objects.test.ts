import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { ErrorJsonSchema } from "@bernstein/core";
import pMap from "p-map";
import { afterEach, describe, expect, it } from "vitest";
import { createArtifactStore, keys } from "../src/index.js";
import { digestStream, patternStream } from "./helpers.js";

const store = createArtifactStore(env.ARTIFACTS);
const RUN = "r_0123456789ab";
const TASK = "t_0123456789ab";

afterEach(async () => {
  await reset();
});

describe("objects", () => {
  it("round-trips JSON, validating with a zod schema when given", async () => {
    const key = keys.attempt(RUN, TASK, 1, "result.json");
    const info = await store.putJson(key, { code: "tool_error", message: "no match" });
    expect(info).toMatchObject({ key, bytes: 42 });
    expect(await store.getJson(key)).toEqual({ code: "tool_error", message: "no match" });
    const typed = await store.getJson(key, ErrorJsonSchema);
    expect(typed?.code).toBe("tool_error");
    await store.putJson(key, { code: "not-a-code" });
    await expect(store.getJson(key, ErrorJsonSchema)).rejects.toMatchObject({ code: "internal" });
    expect(await store.getJson(keys.plan(RUN))).toBeNull();
  });

  it("round-trips text and reports heads", async () => {
    const key = keys.attempt(RUN, TASK, 1, "verify.log");
    await store.putText(key, "ok ✓\n");
    expect(await store.getText(key)).toBe("ok ✓\n");
    expect(await store.head(key)).toMatchObject({ key, bytes: 7 });
    expect(await store.head(keys.audit(RUN))).toBeNull();
  });

  it("streams an object in and out", async () => {
    const key = keys.attempt(RUN, TASK, 1, "transcript.jsonl");
    const size = 3 * 1024 * 1024 + 17;
    const expected = await digestStream(patternStream(size, 3));
    expect(await store.putStream(key, patternStream(size, 3), size)).toMatchObject({ key, bytes: size });
    const out = await store.getStream(key);
    expect(await digestStream(out as ReadableStream<Uint8Array>)).toEqual(expected);
    expect(await store.getStream(keys.audit(RUN))).toBeNull();
  });

  it("lists every object under a prefix across R2's pages", async () => {
    const n = 1_050;
    await pMap(
      Array.from({ length: n }, (_, i) => i),
      (i) => store.putText(keys.integration(RUN, i), "{}"),
      { concurrency: 32 },
    );
    await store.putText(keys.plan("r_other0000000"), "{}");
    const listed = await store.list(`runs/${RUN}/integration/`);
    expect(listed).toHaveLength(n);
    expect(new Set(listed.map((o) => o.key)).size).toBe(n);
    expect(await store.list("runs/")).toHaveLength(n + 1);
  }, 60_000);

  it("refuses keys that escape their prefix", async () => {
    await expect(store.getText("runs/../blobs/x")).rejects.toMatchObject({ code: "bad_request" });
    await expect(store.putJson("/abs", {})).rejects.toMatchObject({ code: "bad_request" });
    await expect(store.list("runs//")).rejects.toMatchObject({ code: "bad_request" });
  });
});
