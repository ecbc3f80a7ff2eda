import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { Socket } from "node:net";
import { GUARD_SOURCE } from "./guard-source.js";
import { identityOf, type ProcessIdentity } from "./identity.js";
import { type LedgerEntry, removeLedger, writeLedger } from "./ledger.js";

export interface WatchOptions {
  /** What the process is, for the ledger (`workerd`, `command`). */
  role: string;
  /** The whole process group it leads (a command and whatever it started). */
  group?: boolean;
}

/**
 * What ties the processes this process starts to its life. A guard process (started on the
 * first `watch`, in a session of its own so a signal to this process's group spares it) holds
 * a pipe from this process; when this process dies, even by SIGKILL, the pipe closes and the
 * guard stops every watched process. With a ledger file the watched processes are also written
 * down, so the next start can stop them should the guard have died too.
 */
export interface Lifeline {
  /**
   * Starts the guard now, if it is not running. Call it before starting a process to watch: a
   * guard started by the `watch` itself takes a while to come up, and should this process die
   * meanwhile, the guard would come up knowing nothing to stop.
   */
  arm(): void;
  /** Ties a running process (or its group) to this process; returns the call that unties it. */
  watch(id: ProcessIdentity, options: WatchOptions): () => void;
  /** Keeps the ledger file at `path` up to date (undefined: stop, and remove the file). */
  useLedger(path: string | undefined): void;
  /** Ends the guard without it killing anything (the caller stopped what it started). */
  close(): Promise<void>;
}

let shared: Lifeline | undefined;

/** The lifeline of this process (one per process: every package that starts processes shares it). */
export function lifeline(): Lifeline {
  shared ??= createLifeline();
  return shared;
}

function createLifeline(): Lifeline {
  const watched = new Map<number, LedgerEntry>();
  let guard: ChildProcess | undefined;
  let ledgerPath: string | undefined;

  const send = (line: string) => {
    const stdin = startGuard().stdin;
    stdin?.write(`${line}\n`);
  };
  const startGuard = (): ChildProcess => {
    if (guard) return guard;
    const child = spawn(process.execPath, ["-e", GUARD_SOURCE], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
      env: {},
    });
    guard = child;
    child.unref();
    (child.stdin as Socket | null)?.unref();
    // A guard that died (killed by hand) is started again by the next watch, told everything.
    child.stdin?.on("error", () => forget(child));
    child.once("exit", () => forget(child));
    child.once("error", () => forget(child));
    for (const entry of watched.values()) child.stdin?.write(`${watchLine(entry)}\n`);
    return child;
  };
  const forget = (child: ChildProcess) => {
    if (guard === child) guard = undefined;
  };
  const record = () => {
    if (ledgerPath === undefined) return;
    const owner = identityOf(process.pid) ?? { pid: process.pid, startTime: null };
    writeLedger(ledgerPath, { owner, processes: [...watched.values()] });
  };

  return {
    arm() {
      startGuard();
    },
    watch(id, options) {
      const entry: LedgerEntry = { ...id, role: options.role, group: options.group === true };
      const known = guard !== undefined;
      watched.set(id.pid, entry);
      if (known) send(watchLine(entry));
      else startGuard(); // sends every watched process, this one included
      record();
      return () => {
        if (watched.get(id.pid) !== entry) return;
        watched.delete(id.pid);
        guard?.stdin?.write(`u ${id.pid}\n`);
        record();
      };
    },
    useLedger(path) {
      if (path === undefined && ledgerPath !== undefined) removeLedger(ledgerPath);
      ledgerPath = path;
      record();
    },
    async close() {
      const child = guard;
      if (!child) return;
      guard = undefined;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.ref(); // held until it has exited (it was unref'd so as never to keep this process up)
      child.stdin?.end("q\n");
      await exited;
    },
  };
}

function watchLine(entry: LedgerEntry): string {
  return `w ${entry.pid} ${entry.startTime ?? "-"} ${entry.group ? "g" : "p"}`;
}
