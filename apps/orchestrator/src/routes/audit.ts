import { createArtifactStore, keys } from "@bernstein/artifacts";
import {
  type AuditRunVerdict,
  AuditVerifyRequest,
  type AuditVerifyResponse,
  canonicalJson,
  isTerminalRunStatus,
  RunId,
} from "@bernstein/core";
import { createDb, getRun, listRuns } from "@bernstein/db";
import { type StoredLink, verifyChain } from "../audit/verify-chain.js";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";
import { requireRun } from "../runs/require-run.js";

/** The audit chain: verification (the key never leaves the Worker) and the JSONL of a run. */
export const auditRoutes: Route[] = [
  route({
    method: "POST",
    path: "/v1/audit/verify",
    access: "admin",
    body: jsonBody(AuditVerifyRequest, 4 * 1024),
    async handler({ env, body }): Promise<AuditVerifyResponse> {
      const db = createDb(env.STATE_DB);
      const runIds = body.runId
        ? [(await requireRun(db, body.runId)).id]
        : (await listRuns(db, { limit: 1_000 })).map((r) => r.id);
      const runs: AuditRunVerdict[] = [];
      for (const runId of runIds) runs.push(await verifyRun(env, runId));
      return { ok: runs.every((r) => r.ok), runs };
    },
  }),

  /** The run's chain as JSON lines: the sealed file when the run is sealed, else the links in D1. */
  route({
    method: "GET",
    path: "/v1/audit/:id",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const runId = idParam(RunId, request.params.id, "run");
      await requireRun(createDb(env.STATE_DB), runId);
      // Once the head answers, a seal due is written and D1 holds every link (the read model lags by a drain).
      await coordinatorOf(env, runId).auditHead(runId);
      const sealed = await createArtifactStore(env.ARTIFACTS).getText(keys.audit(runId));
      const text = sealed ?? (await storedLinks(env, runId)).map((row) => `${canonicalJson(linkJson(row))}\n`).join("");
      return new Response(text, { headers: { "content-type": "application/x-ndjson; charset=utf-8" } });
    },
  }),
];

async function verifyRun(env: Env, runId: string): Promise<AuditRunVerdict> {
  // The head first: the coordinator answers once a seal it owes is written and its outbox has
  // brought every link up to the head into D1, the chain verified here.
  const head = await coordinatorOf(env, runId).auditHead(runId);
  const run = await getRun(createDb(env.STATE_DB), runId);
  const [rows, sealText] = await Promise.all([
    storedLinks(env, runId),
    createArtifactStore(env.ARTIFACTS).getText(keys.audit(runId)),
  ]);
  return verifyChain(env.AUDIT_HMAC_KEY, {
    runId,
    rows,
    sealText,
    terminal: run ? isTerminalRunStatus(run.status) : false,
    head,
  });
}

/** A run's links exactly as D1 holds them (raw SQL: `data` stays the stored text, tampered or not). */
async function storedLinks(env: Env, runId: string): Promise<StoredLink[]> {
  const { results } = await env.STATE_DB.prepare(
    "SELECT run_id, seq, at, actor, action, data, prev_hmac, hmac FROM audit_events WHERE run_id = ? ORDER BY seq",
  )
    .bind(runId)
    .all<Record<string, unknown>>();
  return results.map((r) => ({
    runId: String(r.run_id),
    seq: Number(r.seq),
    at: String(r.at),
    actor: String(r.actor),
    action: String(r.action),
    data: String(r.data),
    prevHmac: String(r.prev_hmac),
    hmac: String(r.hmac),
  }));
}

function linkJson(row: StoredLink): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    data = row.data; // a damaged row is exported as it is, for `audit verify` to name
  }
  return { ...row, data };
}
