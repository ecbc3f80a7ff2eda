import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { isRunning, type ProcessIdentity, stopProcess } from "./identity.js";

/** A process a ledger lists: what it is (`workerd`, `command`), who, and whether its group counts. */
export interface LedgerEntry extends ProcessIdentity {
  role: string;
  group: boolean;
}

/**
 * A ledger file (`.bernstein/runtime.json` of a stack): the process that owns it and the
 * processes it started that must not outlive it. The owner rewrites it on each change; when the
 * owner is found dead, the next start (or `dev stop`) stops what it lists (`stopLeftovers`).
 */
export interface Ledger {
  owner: ProcessIdentity;
  processes: LedgerEntry[];
}

/** Writes the ledger atomically (a reader never sees half of it). */
export function writeLedger(path: string, ledger: Ledger): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(ledger, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** The ledger at `path`, or undefined when there is none (a damaged one is an error naming it). */
export function readLedger(path: string): Ledger | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
  const value = JSON.parse(text) as Partial<Ledger>;
  if (!isIdentity(value.owner) || !Array.isArray(value.processes) || !value.processes.every(isIdentity)) {
    throw new Error(`${path} is not a process ledger (delete it if no stack runs)`);
  }
  return value as Ledger;
}

/** Removes the ledger file (no error when it is gone). */
export function removeLedger(path: string): void {
  rmSync(path, { force: true });
}

export type LeftoverOutcome =
  | { kind: "none" }
  /** The owner still runs: nothing was touched. */
  | { kind: "owner_running"; owner: ProcessIdentity }
  /** The owner is gone: these processes of its were still running and were stopped. */
  | { kind: "stopped"; stopped: LedgerEntry[] };

/**
 * When the ledger's owner is dead, stops every process it lists that is still the same
 * process (SIGTERM, then SIGKILL after `graceMs`), and removes the ledger.
 */
export async function stopLeftovers(path: string, graceMs = 1_500): Promise<LeftoverOutcome> {
  const ledger = readLedger(path);
  if (!ledger) return { kind: "none" };
  if (isRunning(ledger.owner)) return { kind: "owner_running", owner: ledger.owner };
  const results = await Promise.all(
    ledger.processes.map(async (entry) => ({
      entry,
      result: await stopProcess(entry, { graceMs, group: entry.group }),
    })),
  );
  removeLedger(path);
  return { kind: "stopped", stopped: results.filter((r) => r.result !== "gone").map((r) => r.entry) };
}

function isIdentity(value: unknown): value is ProcessIdentity {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Number.isInteger(v.pid) && (v.startTime === null || typeof v.startTime === "number");
}
