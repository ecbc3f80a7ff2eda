import { type ArtifactStore, mergeTrees } from "@bernstein/artifacts";
import { BernsteinError, type Manifest } from "@bernstein/core";
import { writeIntegration } from "./integration.js";
import type { RunState } from "./run-state.js";
import type { Tx } from "./tx.js";

export type MergeOutcome = { merged: true; seq: number } | { merged: false; conflicts: string[] };

/**
 * Merges a finished attempt's tree into the run's integration tree, three-way: base = the
 * tree the attempt started from, ours = the integration tree now, theirs = the attempt's
 * result. Writes the new tree to R2 and moves the run's integration pointer in `tx`. A
 * conflicting attempt changes nothing.
 */
export async function mergeAttempt(
  tx: Tx,
  state: RunState,
  store: ArtifactStore,
  taskId: string,
  baseSeq: number,
  resultManifest: string,
): Promise<MergeOutcome> {
  const run = tx.run;
  let merged: string;
  if (baseSeq === run.integrationSeq) {
    merged = resultManifest; // nothing merged since the attempt started: fast-forward
  } else {
    const [base, ours, theirs] = await Promise.all([
      loadManifest(store, await state.integrationManifest(store, baseSeq)),
      loadManifest(store, run.integrationManifest),
      loadManifest(store, resultManifest),
    ]);
    const result = await mergeTrees({
      base,
      ours,
      theirs,
      readText: (sha) => store.getBlobText(sha),
      writeText: async (text) => {
        const blob = await store.putBlob(text);
        return { sha256: blob.sha256, mode: "100644", size: blob.bytes };
      },
    });
    if (result.conflicts.length > 0) return { merged: false, conflicts: result.conflicts };
    merged = await store.putManifest(result.manifest);
  }
  const seq = run.integrationSeq + 1;
  await writeIntegration(store, run.id, { seq, manifest: merged, taskId, at: tx.now });
  state.integration.set(seq, merged);
  tx.patchRun({ integrationSeq: seq, integrationManifest: merged });
  tx.emit("merge.applied", taskId, { seq, manifest: merged });
  return { merged: true, seq };
}

async function loadManifest(store: ArtifactStore, sha: string): Promise<Manifest> {
  const manifest = await store.getManifest(sha);
  if (!manifest) throw new BernsteinError("not_found", `snapshot ${sha} is missing from R2`);
  return manifest;
}
