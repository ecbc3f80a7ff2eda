import type { RunnerClient } from "@bernstein/client";
import type { Manifest } from "@bernstein/core";

/** Manifests kept by a runner (an agent's commands mostly run on the tree of the one before). */
const KEPT = 32;

/**
 * The runner's client with manifests kept in memory by hash: a job on a tree the runner saw
 * recently skips `GET /v1/runners/snapshots/:sha256`, a round trip through the stack. Safe
 * because a manifest is named by its hash (the workspace checks the hash on every sync). The
 * most recently used `KEPT` are kept.
 */
export function withManifestCache(client: RunnerClient, kept = KEPT): RunnerClient {
  const manifests = new Map<string, { sha256: string; manifest: Manifest }>();
  return {
    ...client,
    baseUrl: client.baseUrl,
    async snapshot(sha256) {
      const known = manifests.get(sha256);
      if (known) {
        manifests.delete(sha256);
        manifests.set(sha256, known); // now the most recent
        return known;
      }
      const loaded = await client.snapshot(sha256);
      manifests.set(sha256, loaded);
      for (const oldest of manifests.keys()) {
        if (manifests.size <= kept) break;
        manifests.delete(oldest);
      }
      return loaded;
    },
  };
}
