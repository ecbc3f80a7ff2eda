import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fixtureSourceDir } from "../fixture-repo.js";
import type { TestStack } from "./test-stack.js";

export interface UploadedSnapshot {
  sha256: string;
  manifest: Record<string, { sha256: string; mode: "100644"; size: number }>;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Uploads files as blobs plus their manifest; returns the snapshot's hash. */
export async function uploadSnapshot(
  t: Pick<TestStack, "api">,
  files: Record<string, string>,
): Promise<UploadedSnapshot> {
  const manifest: UploadedSnapshot["manifest"] = {};
  for (const [path, text] of Object.entries(files)) {
    const sha = sha256(text);
    manifest[path] = { sha256: sha, mode: "100644", size: Buffer.byteLength(text) };
    const put = await t.api(`/v1/blobs/${sha}`, {
      method: "PUT",
      body: text,
      headers: { "content-type": "application/octet-stream" },
    });
    if (put.status !== 201 && put.status !== 200) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  }
  const res = await t.api("/v1/snapshots", { method: "POST", body: JSON.stringify({ manifest }) });
  if (res.status !== 201) throw new Error(`snapshot: ${res.status} ${await res.text()}`);
  return { sha256: ((await res.json()) as { sha256: string }).sha256, manifest };
}

/** The files of the calculator example (the scripted model's calculator script expects them). */
export function calculatorFiles(): Record<string, string> {
  const root = fixtureSourceDir("calculator");
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path).split(sep).join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
}
