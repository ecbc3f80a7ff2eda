import { hex } from "../src/sha256.js";

/** `bytes` deterministic pseudo-random bytes, produced chunk by chunk (never held whole). */
export function patternStream(bytes: number, seed = 1, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  let state = seed >>> 0 || 1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) {
        controller.close();
        return;
      }
      const out = new Uint8Array(Math.min(chunk, bytes - sent));
      for (let i = 0; i < out.length; i++) {
        // xorshift32: cheap, deterministic, not compressible by accident.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        out[i] = state & 0xff;
      }
      sent += out.length;
      controller.enqueue(out);
    },
  });
}

/** SHA-256 and length of a stream, without buffering it. */
export async function digestStream(stream: ReadableStream<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const digest = new crypto.DigestStream("SHA-256");
  let bytes = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  await stream.pipeThrough(counter).pipeTo(digest);
  return { sha256: hex(new Uint8Array(await digest.digest)), bytes };
}

/** A stream of the given strings, one chunk each. */
export function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
}
