import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  ARTIFACT_KINDS,
  type ArtifactInput,
  createDb,
  insertArtifact,
  insertRun,
  listArtifacts,
} from "../src/index.js";
import { makeRun, newId, SHA_A, SHA_B } from "./fixtures.js";

const db = createDb(env.STATE_DB);

describe("artifacts", () => {
  it("round-trips one artifact of every kind and lists them by run and task", async () => {
    const run = makeRun();
    await insertRun(db, run);
    const taskId = newId("t");
    const inputs: ArtifactInput[] = ARTIFACT_KINDS.map((kind, i) => ({
      runId: run.id,
      taskId: i % 2 === 0 ? taskId : null,
      attemptId: i % 2 === 0 ? `${run.id}-${taskId}-a1` : null,
      kind,
      r2Key: `runs/${run.id}/${kind}-${i}`,
      sha256: SHA_A,
      bytes: 1_000 + i,
    }));
    const stored = [];
    for (const input of inputs) stored.push(await insertArtifact(db, input));
    for (const [i, artifact] of stored.entries()) {
      expect(artifact).toEqual({ ...inputs[i], id: expect.any(Number), createdAt: expect.any(String) });
    }
    expect(await listArtifacts(db, { runId: run.id })).toEqual(stored);
    expect(await listArtifacts(db, { runId: run.id, taskId })).toEqual(stored.filter((_, i) => i % 2 === 0));
  });

  it("updates the row in place when the same R2 key is recorded again", async () => {
    const run = makeRun();
    await insertRun(db, run);
    const input: ArtifactInput = {
      runId: run.id,
      taskId: null,
      attemptId: null,
      kind: "plan",
      r2Key: `runs/${run.id}/plan.json`,
      sha256: SHA_A,
      bytes: 10,
    };
    const first = await insertArtifact(db, input);
    const second = await insertArtifact(db, { ...input, sha256: SHA_B, bytes: 20 });
    expect(second).toEqual({ ...first, sha256: SHA_B, bytes: 20 });
    expect(await listArtifacts(db, { runId: run.id })).toEqual([second]);
  });
});
