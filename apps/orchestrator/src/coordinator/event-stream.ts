import type { RunEvent } from "@bernstein/core";

const encoder = new TextEncoder();
const PING_MS = 15_000;
const DEFAULT_MAX_SECONDS = 300;

/** One SSE frame: `id` is the event's seq, so a client resumes with `?after=<last id>`. */
export function sseFrame(event: RunEvent): Uint8Array {
  return encoder.encode(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * The live subscribers of one run's event log. Frames are queued on each subscriber's writer
 * without waiting, so a slow reader never stalls the coordinator; a reader that went away is
 * dropped on its first failed write.
 */
export class EventStream {
  /** Each subscriber and the seq of the last event it was sent. */
  private readonly writers = new Map<WritableStreamDefaultWriter<Uint8Array>, number>();
  private ping: ReturnType<typeof setInterval> | undefined;

  /** @param maxSeconds how long one subscription lives; clients reconnect with `after=<last seq>`. */
  constructor(private readonly maxSeconds: number = DEFAULT_MAX_SECONDS) {}

  /**
   * A streaming response that first replays `backlog`, then follows live events unless `closed`.
   * A live subscription ends after `maxSeconds`: proxies and idle connections drop long streams
   * anyway, and regular reconnects keep every client on the replay path it relies on.
   */
  open(backlog: readonly RunEvent[], closed: boolean, after: number): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    this.send(writer, encoder.encode(": connected\n\n"));
    for (const event of backlog) this.send(writer, sseFrame(event));
    if (closed) {
      this.close(writer);
    } else {
      // An event committed before the backlog was read but published after it is sent once.
      this.writers.set(writer, backlog.at(-1)?.seq ?? after);
      this.ping ??= setInterval(() => this.broadcast(encoder.encode(": ping\n\n")), PING_MS);
      setTimeout(() => {
        if (this.writers.delete(writer)) this.close(writer);
        if (this.writers.size === 0) this.stopPing();
      }, this.maxSeconds * 1000);
    }
    return new Response(readable, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  }

  publish(events: readonly RunEvent[]): void {
    for (const event of events) {
      const frame = sseFrame(event);
      for (const [writer, last] of this.writers) {
        if (event.seq <= last) continue;
        this.writers.set(writer, event.seq);
        this.send(writer, frame);
      }
    }
  }

  /** Ends every subscription (the run is over: clients stop reading at the end of the stream). */
  closeAll(): void {
    for (const writer of this.writers.keys()) this.close(writer);
    this.writers.clear();
    this.stopPing();
  }

  private broadcast(frame: Uint8Array): void {
    for (const writer of this.writers.keys()) this.send(writer, frame);
  }

  private send(writer: WritableStreamDefaultWriter<Uint8Array>, frame: Uint8Array): void {
    writer.write(frame).catch(() => this.drop(writer));
  }

  private close(writer: WritableStreamDefaultWriter<Uint8Array>): void {
    writer.close().catch(() => this.drop(writer));
  }

  /** The reader went away: forget it. */
  private drop(writer: WritableStreamDefaultWriter<Uint8Array>): void {
    this.writers.delete(writer);
    if (this.writers.size === 0) this.stopPing();
  }

  private stopPing(): void {
    if (this.ping !== undefined) clearInterval(this.ping);
    this.ping = undefined;
  }
}
