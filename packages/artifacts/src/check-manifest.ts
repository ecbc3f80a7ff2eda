import { BernsteinError, checkManifestTree, type Manifest, symlinkEscape } from "@bernstein/core";
import pMap from "p-map";
import { keys } from "./keys.js";

const HEAD_CONCURRENCY = 32;
/** Longest symlink target read (git and file systems allow 4 KiB). */
const MAX_LINK_TARGET = 4_096;

/**
 * Checks a manifest that enters from outside (`POST /v1/snapshots`) against the tree rules
 * (`checkManifestTree`) and the stored blobs: every blob is stored, every size is its blob's,
 * every symlink points inside the tree. The first problem is a 400 `invalid_body` naming it.
 */
export async function checkManifest(bucket: R2Bucket, manifest: Manifest): Promise<void> {
  const paths = checkManifestTree(manifest);
  const problems = await pMap(
    paths,
    async (path) => {
      const entry = manifest[path] as Manifest[string];
      const head = await bucket.head(keys.blob(entry.sha256));
      if (!head) return { path, what: `its blob ${entry.sha256} is not uploaded`, missing: entry.sha256 };
      if (head.size !== entry.size)
        return { path, what: `its size is ${entry.size} but its blob has ${head.size} bytes` };
      if (entry.mode !== "120000") return undefined;
      if (head.size > MAX_LINK_TARGET) return { path, what: `is a symlink with a ${head.size}-byte target` };
      const target = await (await bucket.get(keys.blob(entry.sha256)))?.text();
      const escapes = symlinkEscape(path, target ?? "");
      return escapes ? { path, what: `is a symlink that ${escapes}` } : undefined;
    },
    { concurrency: HEAD_CONCURRENCY },
  );
  const found = problems.filter((p) => p !== undefined);
  const first = found[0];
  if (!first) return;
  const missing = found.flatMap((p) => ("missing" in p && p.missing ? [p.missing] : []));
  const others = found.length > 1 ? ` (and ${found.length - 1} more)` : "";
  throw new BernsteinError("invalid_body", `manifest path "${first.path}" ${first.what}${others}`, {
    details: { path: first.path, ...(missing.length > 0 ? { missing: missing.slice(0, 100) } : {}) },
  });
}
