import { AUDIT_GENESIS, type AuditBreak, type AuditRunVerdict, AuditSeal, canonicalJson } from "@bernstein/core";
import { type AuditMac, auditMac } from "./hmac.js";

/** One `audit_events` row exactly as D1 holds it (`data` is the stored JSON text). */
export interface StoredLink {
  runId: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  data: string;
  prevHmac: string;
  hmac: string;
}

export interface ChainEvidence {
  runId: string;
  /** The run's rows in D1, in seq order. */
  rows: readonly StoredLink[];
  /** `runs/<run>/audit.jsonl` from R2, or null when there is none. */
  sealText: string | null;
  /** The run has ended: its chain must be sealed, and the seal must cover every link. */
  terminal: boolean;
  /** The coordinator's own record of the chain's head, when it has one (an unfinished run's anchor). */
  head?: { seq: number; hmac: string } | null;
}

type Break = Omit<AuditBreak, "where">;

/**
 * Checks a run's chain and seal, and names the first broken link: in D1, each row's seq is
 * one more than the last, its `prevHmac` is the previous `hmac` (genesis 64 zeros), its `hmac`
 * recomputes, and its stored JSON is byte for byte as it was written; then the R2 seal holds
 * the same links, each line canonical and chained, under a seal whose MAC checks, with a count
 * and last hmac that D1 still matches (nothing cut after the seal).
 */
export async function verifyChain(key: string, evidence: ChainEvidence): Promise<AuditRunVerdict> {
  const mac = await auditMac(key);
  const { runId, rows } = evidence;
  const verdict = (broken: AuditBreak | null, sealed: boolean): AuditRunVerdict => ({
    runId,
    ok: broken === null,
    events: rows.length,
    sealed,
    broken,
  });
  const inD1 = await checkRows(mac, runId, rows);
  if (inD1) return verdict({ where: "d1", ...inD1 }, evidence.sealText !== null);
  if (evidence.sealText === null) {
    if (!evidence.terminal) return verdict(headBreak(rows, evidence.head), false);
    return verdict(
      {
        where: "seal",
        seq: null,
        what: "the run has ended but its chain is not sealed",
        expected: `runs/${runId}/audit.jsonl`,
        found: "no object",
      },
      false,
    );
  }
  const inSeal = await checkSeal(mac, runId, rows, evidence.sealText, evidence.terminal);
  if (inSeal) return verdict({ where: "seal", ...inSeal }, true);
  return verdict(headBreak(rows, evidence.head), true);
}

/** An unfinished run has no seal yet: the coordinator's head is what a cut chain is measured by. */
function headBreak(rows: readonly StoredLink[], head: ChainEvidence["head"]): AuditBreak | null {
  if (!head) return null;
  if (head.seq !== rows.length) {
    const seq = Math.min(head.seq, rows.length) + 1;
    const what = "the chain's length differs from the coordinator's head";
    return { where: "d1", seq, what, expected: `${head.seq} links`, found: `${rows.length} links` };
  }
  const last = rows.at(-1)?.hmac ?? AUDIT_GENESIS;
  if (head.seq > 0 && last !== head.hmac) {
    return {
      where: "d1",
      seq: head.seq,
      what: "the last link is not the coordinator's head",
      expected: head.hmac,
      found: last,
    };
  }
  return null;
}

async function checkRows(mac: AuditMac, runId: string, rows: readonly StoredLink[]): Promise<Break | undefined> {
  let prev = AUDIT_GENESIS;
  for (const [i, row] of rows.entries()) {
    const seq = i + 1;
    if (row.seq !== seq)
      return { seq, what: "seq (a link is missing or out of order)", expected: String(seq), found: String(row.seq) };
    if (row.runId !== runId) return { seq, what: "run_id", expected: runId, found: row.runId };
    const data = parseObject(row.data);
    if (data === undefined)
      return { seq, what: "data is not a JSON object", expected: "a JSON object", found: clip(row.data) };
    // JSON.stringify is how the row was written: any other spelling of the same value was edited.
    const written = JSON.stringify(data);
    if (written !== row.data)
      return { seq, what: "data is not byte for byte as written", expected: clip(written), found: clip(row.data) };
    if (row.prevHmac !== prev) return { seq, what: "prev_hmac", expected: prev, found: row.prevHmac };
    const hmac = await mac.link(prev, { runId, seq, at: row.at, actor: row.actor, action: row.action, data });
    if (row.hmac !== hmac) return { seq, what: "hmac (the link's content changed)", expected: hmac, found: row.hmac };
    prev = row.hmac;
  }
  return undefined;
}

async function checkSeal(
  mac: AuditMac,
  runId: string,
  rows: readonly StoredLink[],
  text: string,
  terminal: boolean,
): Promise<Break | undefined> {
  if (!text.endsWith("\n"))
    return {
      seq: null,
      what: "the seal file does not end with a newline (cut short)",
      expected: "\\n",
      found: clip(text.slice(-20)),
    };
  const lines = text.slice(0, -1).split("\n");
  const sealLine = lines.pop() ?? "";
  const sealValue = parseObject(sealLine);
  const parsedSeal = AuditSeal.safeParse(sealValue?.seal);
  if (
    !sealValue ||
    !parsedSeal.success ||
    canonicalJson(sealValue) !== sealLine ||
    Object.keys(sealValue).length !== 1
  ) {
    return {
      seq: null,
      what: "the seal record (last line) is malformed",
      expected: '{"seal":{...}} in canonical JSON',
      found: clip(sealLine),
    };
  }
  const seal = parsedSeal.data;
  const { hmac: sealHmac, ...fields } = seal;
  const expectedSealHmac = await mac.seal(fields);
  if (seal.runId !== runId) return { seq: null, what: "seal runId", expected: runId, found: seal.runId };
  if (sealHmac !== expectedSealHmac)
    return { seq: null, what: "seal hmac (the seal record changed)", expected: expectedSealHmac, found: sealHmac };
  if (seal.count !== lines.length)
    return {
      seq: null,
      what: "seal count vs. lines in the seal file",
      expected: String(seal.count),
      found: String(lines.length),
    };
  let prev = AUDIT_GENESIS;
  for (const [i, line] of lines.entries()) {
    const seq = i + 1;
    const value = parseObject(line);
    if (!value || canonicalJson(value) !== line)
      return {
        seq,
        what: "sealed line is not the canonical JSON of a link",
        expected: "canonical JSON",
        found: clip(line),
      };
    if (value.seq !== seq) return { seq, what: "sealed seq", expected: String(seq), found: String(value.seq) };
    if (value.runId !== runId) return { seq, what: "sealed runId", expected: runId, found: String(value.runId) };
    if (value.prevHmac !== prev) return { seq, what: "sealed prevHmac", expected: prev, found: String(value.prevHmac) };
    const data = value.data;
    if (typeof data !== "object" || data === null || Array.isArray(data))
      return { seq, what: "sealed data", expected: "a JSON object", found: clip(data) };
    const hmac = await mac.link(prev, {
      runId,
      seq,
      at: String(value.at),
      actor: String(value.actor),
      action: String(value.action),
      data: data as Record<string, unknown>,
    });
    if (value.hmac !== hmac)
      return { seq, what: "sealed hmac (the sealed link changed)", expected: hmac, found: String(value.hmac) };
    if (rows[i] && rows[i]?.hmac !== hmac)
      return { seq, what: "D1 and the seal disagree on this link", expected: hmac, found: rows[i]?.hmac ?? "" };
    prev = hmac;
  }
  if (seal.lastHmac !== prev) return { seq: seal.count, what: "seal lastHmac", expected: prev, found: seal.lastHmac };
  if (rows.length < seal.count) {
    return {
      seq: rows.length + 1,
      what: "D1 lost links the seal holds (cut after the seal)",
      expected: `${seal.count} links`,
      found: `${rows.length} links`,
    };
  }
  if (terminal && rows.length > seal.count) {
    return {
      seq: seal.count + 1,
      what: "links after the seal of an ended run",
      expected: `${seal.count} links`,
      found: `${rows.length} links`,
    };
  }
  return undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function clip(value: unknown): string {
  const text = typeof value === "string" ? value : String(JSON.stringify(value));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
