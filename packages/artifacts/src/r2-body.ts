import { BernsteinError, errorCodeOf } from "@bernstein/core";
import { hex } from "./sha256.js";

/**
 * Turns `stream` into a body R2 accepts (`put` needs a known length) without buffering it:
 * bytes are counted on the way through and a count other than `bytes` fails with
 * `hash_mismatch`, since the body is then not the object it claims to be.
 */
export function fixedLengthBody(
  stream: ReadableStream<Uint8Array>,
  bytes: number,
): { body: ReadableStream<Uint8Array>; piped: Promise<void> } {
  assertByteCount(bytes);
  const fixed = new FixedLengthStream(bytes);
  const piped = stream.pipeThrough(byteCounter(bytes)).pipeTo(fixed.writable);
  return { body: fixed.readable, piped };
}

/**
 * Hashes `stream` without storing or buffering it and throws `hash_mismatch` unless it has
 * `bytes` bytes hashing to `sha256`.
 */
export async function verifyStream(stream: ReadableStream<Uint8Array>, sha256: string, bytes: number): Promise<void> {
  const digest = new crypto.DigestStream("SHA-256");
  await stream.pipeThrough(byteCounter(bytes)).pipeTo(digest);
  const actual = hex(new Uint8Array(await digest.digest));
  if (actual !== sha256) {
    throw new BernsteinError("hash_mismatch", `body hashes to ${actual}, not ${sha256}`, {
      details: { expected: sha256, actual },
    });
  }
}

/**
 * Passes bytes through unchanged and fails with `hash_mismatch` unless exactly `bytes` pass.
 * It holds back one chunk: the last declared bytes are released only once the source has
 * closed, so an over-long body fails before R2 could commit its first `bytes` bytes.
 */
function byteCounter(bytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  let held: Uint8Array | undefined;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > bytes) throw sizeMismatch(bytes, `more than ${bytes}`);
      if (held) controller.enqueue(held);
      held = chunk;
    },
    flush(controller) {
      if (seen !== bytes) throw sizeMismatch(bytes, String(seen));
      if (held) controller.enqueue(held);
    },
  });
}

/** Throws `bad_request` unless `bytes` is a non-negative integer. */
export function assertByteCount(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new BernsteinError("bad_request", `bytes must be a non-negative integer, got ${String(bytes)}`);
  }
}

function sizeMismatch(declared: number, actual: string): BernsteinError {
  return new BernsteinError("hash_mismatch", `body has ${actual} bytes, declared ${declared}`, {
    details: { declaredBytes: declared },
  });
}

/** True when R2 refused a put because the body did not match the checksum we passed. */
export function isChecksumRejection(error: unknown): boolean {
  // R2 (and Miniflare's emulation) answer "The SHA-256 checksum you specified did not match
  // what we received ... (10037)"; 10037 is R2's BadDigest error code.
  return error instanceof Error && /\(10037\)|checksum you specified did not match/i.test(error.message);
}

/**
 * Awaits an R2 put fed by a piped stream. Both must settle (so no rejection goes unhandled);
 * our own size error wins over R2's generic "stream ended" error it causes.
 */
export async function settlePipedPut<T>(put: Promise<T>, piped: Promise<void>, sha256?: string): Promise<T> {
  const [putResult, pipeResult] = await Promise.allSettled([put, piped]);
  if (pipeResult.status === "rejected" && errorCodeOf(pipeResult.reason) === "hash_mismatch") throw pipeResult.reason;
  if (putResult.status === "rejected") {
    if (sha256 !== undefined && isChecksumRejection(putResult.reason)) {
      throw new BernsteinError("hash_mismatch", `body does not hash to ${sha256}`, {
        cause: putResult.reason,
        details: { expected: sha256 },
      });
    }
    throw putResult.reason;
  }
  if (pipeResult.status === "rejected") throw pipeResult.reason;
  return putResult.value;
}
