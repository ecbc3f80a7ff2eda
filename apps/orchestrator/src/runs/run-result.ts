import type { ArtifactStore } from "@bernstein/artifacts";
import type { MergeRecord, RunResult, RunView } from "@bernstein/core";
import { readIntegration } from "../coordinator/integration.js";

/** The run's merges in merge order, each with the tree it produced: what `pull` commits. */
export async function runResult(view: RunView, store: ArtifactStore): Promise<RunResult> {
  const runId = view.id;
  const merged = view.tasks
    .filter((t) => t.mergedSeq !== null)
    .sort((a, b) => (a.mergedSeq as number) - (b.mergedSeq as number));
  const merges: MergeRecord[] = await Promise.all(
    merged.map(async (t) => ({
      seq: t.mergedSeq as number,
      taskId: t.id,
      title: t.title,
      summary: t.summary,
      manifest: (await readIntegration(store, runId, t.mergedSeq as number)).manifest,
    })),
  );
  return {
    runId,
    status: view.status,
    baseSnapshot: view.baseSnapshot,
    baseCommit: view.baseCommit,
    merges,
  };
}
