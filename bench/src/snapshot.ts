import { createHash } from "node:crypto";
import type { BernsteinClient } from "@bernstein/client";
import type { Manifest } from "@bernstein/core";

/** Uploads `files` as blobs plus their manifest through the API; returns the snapshot's hash. */
export async function uploadSnapshot(client: BernsteinClient, files: Record<string, string>): Promise<string> {
  const manifest: Manifest = {};
  for (const [path, text] of Object.entries(files)) {
    const bytes = new TextEncoder().encode(text);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await client.putBlob(sha256, bytes);
    manifest[path] = { sha256, mode: "100644", size: bytes.byteLength };
  }
  return (await client.createSnapshot(manifest)).sha256;
}
