import type { FileMode, ManifestEntry } from "@bernstein/core";
import { decodeText } from "../binary.js";
import { sha256Hex, toBytes } from "../sha256.js";
import type { ReadText, WriteText } from "../tree-io.js";

/** Blobs in a Map, for tests of the pure tree operations (the R2-backed store is tested in test/). */
export function memoryBlobs() {
  const blobs = new Map<string, Uint8Array>();
  const put = async (content: string | Uint8Array, mode: FileMode = "100644"): Promise<ManifestEntry> => {
    const bytes = toBytes(content);
    const sha256 = await sha256Hex(bytes);
    blobs.set(sha256, bytes);
    return { sha256, mode, size: bytes.byteLength };
  };
  const readText: ReadText = async (sha) => {
    const bytes = blobs.get(sha);
    if (!bytes) throw new Error(`test blob ${sha} missing`);
    return decodeText(bytes);
  };
  const writeText: WriteText = (text) => put(text);
  const text = async (entry: ManifestEntry | undefined): Promise<string | null> =>
    entry ? readText(entry.sha256) : null;
  return { put, readText, writeText, text, blobs };
}
