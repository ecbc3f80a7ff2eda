import { BernsteinError } from "@bernstein/core";
import type { RunStore } from "./store/run-store.js";

/**
 * An idempotency key names one request: the same key with another body is a 409, never the
 * other request's run. The run's first audit link records the SHA-256 of its request (runs
 * made before that have none, and are not checked).
 */
export function requireSameRequest(rows: RunStore, runId: string, requestSha256: string): void {
  const recorded = rows.auditChain(1)[0]?.data.request;
  if (typeof recorded === "string" && recorded !== requestSha256) {
    throw new BernsteinError(
      "conflict",
      `the idempotency key was already used for a different request (run ${runId}); use a new key for a new run`,
      { details: { runId } },
    );
  }
}
