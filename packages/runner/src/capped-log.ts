/** Default cap of a job's log: 1 MiB (half kept from the start, half from the end). */
export const DEFAULT_MAX_LOG_BYTES = 1_048_576;

/**
 * A log that keeps at most `maxBytes`: the first half and the last half of what was written,
 * with a marker saying how much was cut in between. The start shows what ran; the end shows
 * why it failed. Chunks are kept in the order they were written (stdout and stderr interleaved).
 */
export interface CappedLog {
  write(chunk: Uint8Array | string): void;
  /** Everything ever written, in bytes. */
  readonly totalBytes: number;
  /** Bytes dropped from the middle. */
  readonly cutBytes: number;
  /** The kept text, with the cut marker when something was dropped. */
  text(): string;
}

/** Creates an empty capped log. */
export function createCappedLog(maxBytes: number = DEFAULT_MAX_LOG_BYTES): CappedLog {
  const headMax = Math.floor(maxBytes / 2);
  const tailMax = maxBytes - headMax;
  const head: Buffer[] = [];
  let headLen = 0;
  let tail: Buffer[] = [];
  let tailLen = 0;
  let total = 0;

  const pushTail = (chunk: Buffer) => {
    tail.push(chunk);
    tailLen += chunk.length;
    if (tailLen <= tailMax) return;
    // Drop whole chunks from the front, then trim the first one that is kept.
    let drop = tailLen - tailMax;
    let first = 0;
    while (first < tail.length && (tail[first] as Buffer).length <= drop) {
      drop -= (tail[first] as Buffer).length;
      first++;
    }
    tail = tail.slice(first);
    if (drop > 0 && tail[0]) tail[0] = tail[0].subarray(drop);
    tailLen = tailMax;
  };

  return {
    write(chunk) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
      total += bytes.length;
      const room = headMax - headLen;
      if (room > 0) {
        const taken = bytes.subarray(0, room);
        head.push(taken);
        headLen += taken.length;
        if (taken.length === bytes.length) return;
        pushTail(bytes.subarray(room));
        return;
      }
      pushTail(bytes);
    },
    get totalBytes() {
      return total;
    },
    get cutBytes() {
      return total - headLen - tailLen;
    },
    text() {
      const cut = total - headLen - tailLen;
      const decode = (parts: Buffer[]) => Buffer.concat(parts).toString("utf8");
      if (cut === 0) return decode([...head, ...tail]);
      const marker = `\n[... ${cut} bytes cut: the log keeps its first ${headLen} and last ${tailLen} bytes ...]\n`;
      return `${decode(head)}${marker}${decode(tail)}`;
    },
  };
}

/** The last `lines` lines of `text`, at most `maxChars` characters (the end is kept). */
export function lastLines(text: string, lines = 50, maxChars = 60_000): string {
  const tail = text.replace(/\n$/, "").split("\n").slice(-lines).join("\n");
  return tail.length > maxChars ? tail.slice(tail.length - maxChars) : tail;
}
