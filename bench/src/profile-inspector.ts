import { BernsteinError } from "@bernstein/core";
import { fetch, type WebSocket } from "miniflare";

/** One isolate of workerd as its DevTools inspector lists it (`/json/list`). */
export interface InspectorTarget {
  id: string;
  title: string;
  webSocketDebuggerUrl: string;
}

/** A V8 CPU profile (`Profiler.stop`'s `profile`, the `.cpuprofile` format). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number; scriptId: string };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** workerd's isolates: every target of its inspector at `port` on 127.0.0.1. */
export async function listTargets(port: number): Promise<InspectorTarget[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json/list`);
  if (!response.ok) throw new BernsteinError("internal", `the inspector answered /json/list with ${response.status}`);
  return (await response.json()) as InspectorTarget[];
}

/**
 * A DevTools protocol session with one isolate, over Miniflare's WebSocket client (the `fetch`
 * it exports upgrades; no other WebSocket library is needed).
 */
export class InspectorSession {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      const text = typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data);
      const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return; // an event (Runtime.consoleAPICalled, ...): not asked for
      const waiter = this.#pending.get(message.id);
      if (!waiter) return;
      this.#pending.delete(message.id);
      if (message.error) waiter.reject(new BernsteinError("internal", `inspector: ${message.error.message}`));
      else waiter.resolve(message.result);
    });
    socket.addEventListener("close", () => {
      for (const waiter of this.#pending.values()) {
        waiter.reject(new BernsteinError("internal", "the inspector closed the connection"));
      }
      this.#pending.clear();
    });
  }

  static async open(target: InspectorTarget): Promise<InspectorSession> {
    const url = target.webSocketDebuggerUrl.replace(/^ws:/, "http:");
    const response = await fetch(url, { headers: { upgrade: "websocket" } });
    const socket = response.webSocket;
    if (!socket) {
      throw new BernsteinError("internal", `the inspector did not upgrade ${target.id} (HTTP ${response.status})`);
    }
    socket.accept();
    return new InspectorSession(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#socket.close(1000, "done");
  }
}

/** Profilers started on a set of isolates; `stop()` returns each one's profile by target. */
export interface Profiling {
  stop(): Promise<Map<InspectorTarget, CpuProfile>>;
}

/**
 * Starts V8's sampling profiler on every isolate of workerd's inspector at `port`, sampling
 * every `intervalUs` microseconds.
 */
export async function startProfiling(port: number, intervalUs: number): Promise<Profiling> {
  const targets = await listTargets(port);
  const sessions = await Promise.all(
    targets.map(async (target) => ({ target, session: await InspectorSession.open(target) })),
  );
  for (const { session } of sessions) {
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: intervalUs });
  }
  for (const { session } of sessions) await session.send("Profiler.start");
  return {
    async stop() {
      const profiles = new Map<InspectorTarget, CpuProfile>();
      for (const { target, session } of sessions) {
        const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
        profiles.set(target, profile);
        session.close();
      }
      return profiles;
    },
  };
}
