import { spawn } from "node:child_process";
import { BernsteinError } from "@bernstein/core";
import { identityOf, lifeline } from "@bernstein/processes";
import { type CappedLog, createCappedLog, DEFAULT_MAX_LOG_BYTES } from "./capped-log.js";

export interface ExecOptions {
  /** Shell command lines, run one after the other with `/bin/sh -c` in `cwd`. */
  commands: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** One deadline for all the commands together. */
  timeoutMs: number;
  /** Aborting kills the running command's process group at once (SIGKILL). */
  signal?: AbortSignal;
  /** Cap of the captured output (default 1 MiB, head and tail kept). */
  maxLogBytes?: number;
  /** On timeout: time between SIGTERM and SIGKILL of the process group (default 2 s). */
  killGraceMs?: number;
  /** Sees every chunk of stdout as it arrives (a TAP reader), uncapped. */
  onStdout?: (chunk: Buffer) => void;
}

export interface ExecResult {
  /** Every command exited 0. */
  passed: boolean;
  /** Exit code of the failing command (0 when all passed); null when killed or timed out. */
  exitCode: number | null;
  timedOut: boolean;
  /** The signal aborted the run (the result must not be reported). */
  aborted: boolean;
  /** The command that failed, timed out or was stopped; null when all passed. */
  failedCommand: string | null;
  durationMs: number;
  /** The captured output (stdout and stderr interleaved), capped, with the runner's own lines. */
  log: string;
  /** Bytes of output before the cap. */
  outputBytes: number;
}

type Ending =
  | { kind: "exit"; code: number | null; signal: NodeJS.Signals | null }
  | { kind: "timeout" }
  | { kind: "abort" };

const SHELL = "/bin/sh";
// The command's shell first waits for one line on stdin, sent once the command is tied to the
// lifeline, then becomes `/bin/sh -c <command>` (same pid and group, stdin /dev/null as before).
// Without the gate the command could run (and be seen running) before the guard knew it: a
// runner killed in that moment left it running. Should the runner die first, the read gets
// end-of-file and the command never starts.
const GATED = `read -r _ || exit 1; exec ${SHELL} -c "$1" </dev/null`;
const DEFAULT_KILL_GRACE_MS = 2_000;
// After the command exits, how long a process that left its group may hold the pipes open.
const PIPE_DRAIN_MS = 2_000;

/**
 * Runs `commands` in order and stops at the first that fails. Each runs in its own process
 * group so a timeout or an abort kills everything it started, and the group is cleared when the
 * command exits so no background process outlives it. The group is tied to this process's
 * lifeline (`@bernstein/processes`): should the runner die, even by SIGKILL, its guard kills the
 * group (SIGTERM, SIGKILL 1.5 s later).
 */
export async function execCommands(options: ExecOptions): Promise<ExecResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const log = createCappedLog(options.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES);
  const line = createLineWriter(log);
  const finish = (result: Omit<ExecResult, "durationMs" | "log" | "outputBytes">): ExecResult => ({
    ...result,
    durationMs: Date.now() - started,
    log: log.text(),
    outputBytes: log.totalBytes,
  });
  for (const command of options.commands) {
    if (options.signal?.aborted) {
      line.note(`stopped before \`${command}\`: ${reasonText(options.signal.reason)}`);
      return finish({ passed: false, exitCode: null, timedOut: false, aborted: true, failedCommand: command });
    }
    line.write(`$ ${command}\n`);
    const commandStart = Date.now();
    const ending = await runOne(command, options, deadline, line);
    const took = seconds(Date.now() - commandStart);
    if (ending.kind === "timeout") {
      line.note(
        `timed out after ${seconds(options.timeoutMs)} s (the limit of all commands): killed \`${command}\` and its processes`,
      );
      return finish({ passed: false, exitCode: null, timedOut: true, aborted: false, failedCommand: command });
    }
    if (ending.kind === "abort") {
      line.note(`stopped \`${command}\` after ${took} s: ${reasonText(options.signal?.reason)}`);
      return finish({ passed: false, exitCode: null, timedOut: false, aborted: true, failedCommand: command });
    }
    if (ending.code !== 0) {
      const how = ending.code === null ? `killed by ${ending.signal ?? "a signal"}` : `exit ${ending.code}`;
      line.note(`${how} after ${took} s: \`${command}\` failed`);
      return finish({ passed: false, exitCode: ending.code, timedOut: false, aborted: false, failedCommand: command });
    }
    line.note(`exit 0 after ${took} s`);
  }
  return finish({ passed: true, exitCode: 0, timedOut: false, aborted: false, failedCommand: null });
}

function runOne(command: string, options: ExecOptions, deadline: number, line: LineWriter): Promise<Ending> {
  return new Promise<Ending>((resolve, reject) => {
    lifeline().arm(); // the guard is up before the command starts
    const child = spawn(SHELL, ["-c", GATED, SHELL, command], {
      cwd: options.cwd,
      env: options.env,
      detached: true, // a new process group, so the whole tree can be signalled
      stdio: ["pipe", "pipe", "pipe"],
    });
    const pid = child.pid;
    // The group dies with this process, even when it is killed with SIGKILL: a runner that
    // crashed never leaves a command running beside the one the job's next runner starts.
    const id = pid === undefined ? undefined : identityOf(pid);
    const untie = id ? lifeline().watch(id, { role: "command", group: true }) : () => undefined;
    // Open the gate only now. `watch` has written its line to the guard's pipe (a few bytes the
    // kernel takes at once, so they reach the guard even if this process dies next). No stdin
    // when the spawn failed (EMFILE): its "error" event says so.
    child.stdin?.on("error", (error) => line.note(`could not start \`${command}\`: ${error.message}`));
    child.stdin?.end("\n");
    let stopping: "timeout" | "abort" | undefined;
    const timers: NodeJS.Timeout[] = [];
    const signalGroup = (sig: NodeJS.Signals) => {
      if (pid === undefined) return;
      const failure = killGroup(pid, sig);
      if (failure) line.note(`could not send ${sig} to the process group ${pid}: ${failure}`);
    };
    const stop = (why: "timeout" | "abort") => {
      if (stopping) return;
      stopping = why;
      if (why === "abort") {
        signalGroup("SIGKILL");
        return;
      }
      signalGroup("SIGTERM");
      timers.push(setTimeout(() => signalGroup("SIGKILL"), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS));
    };
    const onAbort = () => stop("abort");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    timers.push(setTimeout(() => stop("timeout"), Math.max(0, deadline - Date.now())));

    child.stdout.on("data", (chunk: Buffer) => {
      line.write(chunk);
      options.onStdout?.(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => line.write(chunk));
    child.on("exit", () => {
      // Background processes the command left behind die with it and release the pipes.
      signalGroup("SIGKILL");
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, PIPE_DRAIN_MS),
      );
    });
    child.on("error", (error) => {
      cleanup();
      untie();
      reject(
        new BernsteinError("internal", `could not start ${SHELL} in ${options.cwd}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on("close", (code, sig) => {
      cleanup();
      untie();
      resolve(
        stopping === undefined
          ? { kind: "exit", code, signal: sig }
          : stopping === "timeout"
            ? { kind: "timeout" }
            : { kind: "abort" },
      );
    });
    function cleanup() {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  });
}

/** Signals a whole process group; returns why it failed, or undefined (a group that is gone is fine). */
function killGroup(pgid: number, sig: NodeJS.Signals): string | undefined {
  try {
    process.kill(-pgid, sig);
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ESRCH") return undefined;
    return error instanceof Error ? error.message : String(error);
  }
}

interface LineWriter {
  write(chunk: Buffer | string): void;
  /** A line of the runner's own, on a line of its own. */
  note(text: string): void;
}

function createLineWriter(log: CappedLog): LineWriter {
  let atLineStart = true;
  const write = (chunk: Buffer | string) => {
    if (chunk.length === 0) return;
    log.write(chunk);
    const last = typeof chunk === "string" ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
    atLineStart = last === 0x0a;
  };
  return {
    write,
    note(text) {
      write(`${atLineStart ? "" : "\n"}[runner] ${text}\n`);
    },
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? "stopped" : String(reason);
}
