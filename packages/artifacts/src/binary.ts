/** How far into a file `isBinary` looks, like git's heuristic (git reads 8000 bytes). */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** True when `bytes` has a NUL byte in its first 8 KiB: git's test for "binary". */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/**
 * The text of `bytes`, or null when the content is binary (a NUL in the first 8 KiB, or not
 * valid UTF-8): what the tree operations' `readText` callbacks are expected to return.
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (isBinary(bytes)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}
