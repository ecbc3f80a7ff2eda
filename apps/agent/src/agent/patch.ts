import {
  type ArtifactStore,
  applyOverlay,
  blobTextReader,
  diffManifests,
  keys,
  type Overlay,
  overlayChanges,
  sha256Hex,
  unifiedDiff,
} from "@bernstein/artifacts";
import { type AttemptContext, type AttemptSubmission, Manifest, parseWith } from "@bernstein/core";
import { failedSignals } from "./signals.js";

/** What an attempt produced, as it is submitted: its tree, its patch and the files it changed. */
export type Patch = Omit<AttemptSubmission, "instanceId" | "turns" | "summary">;

/**
 * The attempt's tree (base + overlay) as a manifest in R2, its unified diff, and the completion
 * signals that tree fails (checked on the tree in hand: nothing is read back). `base` is a
 * stored tree of the run (valid when it was put), so the work beyond one copy and one
 * serialization of the tree is that of the changed paths.
 */
export async function makePatch(
  ctx: Pick<AttemptContext, "runId" | "taskId" | "attempt" | "task" | "baseManifest">,
  store: ArtifactStore,
  base: Manifest,
  overlay: Overlay,
): Promise<{ patch: Patch; failedSignals: string[] }> {
  const result = applyOverlay(base, overlay);
  // Only the changed paths: their diff is the trees' diff, and beside the stored (valid) base
  // their entries are all that is new in the tree, so all that needs validating.
  const { before, after } = overlayChanges(base, overlay);
  parseWith(Manifest, after, "invalid_body", "the attempt's changed files");
  // No change: the tree is the base, which has its name and is stored already.
  const unchanged = Object.keys(before).length === 0 && Object.keys(after).length === 0;
  const resultManifest = unchanged ? ctx.baseManifest : await store.putMergedManifest(result);
  const text = await unifiedDiff(before, after, blobTextReader(store));
  const patchKey = keys.attempt(ctx.runId, ctx.taskId, ctx.attempt, "patch.diff");
  await store.putText(patchKey, text);
  const changes = diffManifests(before, after);
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
