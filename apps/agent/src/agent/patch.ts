import {
  type ArtifactStore,
  applyOverlay,
  blobTextReader,
  diffManifests,
  keys,
  type Overlay,
  sha256Hex,
  unifiedDiff,
} from "@bernstein/artifacts";
import type { AttemptContext, AttemptSubmission, Manifest } from "@bernstein/core";
import { failedSignals } from "./signals.js";

/** What an attempt produced, as it is submitted: its tree, its patch and the files it changed. */
export type Patch = Omit<AttemptSubmission, "instanceId" | "turns" | "summary">;

/**
 * The attempt's tree (base + overlay) as a manifest in R2, its unified diff, and the completion
 * signals that tree fails (checked on the tree in hand: nothing is read back).
 */
export async function makePatch(
  ctx: Pick<AttemptContext, "runId" | "taskId" | "attempt" | "task">,
  store: ArtifactStore,
  base: Manifest,
  overlay: Overlay,
): Promise<{ patch: Patch; failedSignals: string[] }> {
  const result = applyOverlay(base, overlay);
  const resultManifest = await store.putManifest(result);
  const text = await unifiedDiff(base, result, blobTextReader(store));
  const patchKey = keys.attempt(ctx.runId, ctx.taskId, ctx.attempt, "patch.diff");
  await store.putText(patchKey, text);
  const changes = diffManifests(base, result);
  const signals = ctx.task.completionSignals;
  return {
    patch: {
      resultManifest,
      patchKey,
      patchSha256: await sha256Hex(text),
      changedFiles: [...changes.added, ...changes.modified, ...changes.deleted].sort(),
    },
    failedSignals: signals.length === 0 ? [] : await failedSignals(store, result, signals),
  };
}
