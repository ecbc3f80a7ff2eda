import type { AuditEvent } from "@bernstein/core";
import type { AuditEventRow } from "../schema.js";

/** A core AuditEvent as an `audit_events` row. */
export function auditEventToRow(event: AuditEvent): AuditEventRow {
  return {
    runId: event.runId,
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    data: event.data,
    prevHmac: event.prevHmac,
    hmac: event.hmac,
  };
}

/** An `audit_events` row as a core AuditEvent. */
export function auditEventFromRow(row: AuditEventRow): AuditEvent {
  return {
    runId: row.runId,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    data: row.data,
    prevHmac: row.prevHmac,
    hmac: row.hmac,
  };
}
