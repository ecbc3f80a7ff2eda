import type { ArtifactStore } from "@bernstein/artifacts";
import { type CompletionSignal, isOwnedBy, type Manifest, parseFileContains } from "@bernstein/core";

/**
 * Evaluates the completion signals a Worker can evaluate on the attempt's tree; returns a
 * description of each that failed (empty when all hold). `test_passes` signals are commands:
 * a runner runs them on the candidate tree when the attempt is verified, never a Worker.
 */
export async function failedSignals(
  store: ArtifactStore,
  tree: Manifest,
  signals: readonly CompletionSignal[],
): Promise<string[]> {
  const failed: string[] = [];
  for (const signal of signals) {
    if (!(await holds(store, tree, signal))) failed.push(`${signal.type} ${signal.value}`);
  }
  return failed;
}

async function holds(store: ArtifactStore, tree: Manifest, signal: CompletionSignal): Promise<boolean> {
  switch (signal.type) {
    case "path_exists":
      return (
        signal.value in tree || Object.keys(tree).some((p) => p.startsWith(`${signal.value.replace(/\/+$/, "")}/`))
      );
    case "glob_exists":
      return Object.keys(tree).some((p) => isOwnedBy(p, [signal.value]));
    case "file_contains": {
      const parsed = parseFileContains(signal.value);
      const entry = parsed ? tree[parsed.path] : undefined;
      if (!parsed || !entry) return false;
      return (await store.getBlobText(entry.sha256))?.includes(parsed.needle) ?? false;
    }
    case "test_passes":
      return true; // a runner's job (the attempt's verification), not this one's
  }
}
