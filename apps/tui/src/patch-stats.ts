/** What a unified diff changes: files, added and removed lines. */
export interface PatchStats {
  files: number;
  additions: number;
  deletions: number;
}

/** Counts a unified diff's files (`+++ ` headers) and its added and removed lines. */
export function patchStats(diff: string): PatchStats {
  let files = 0;
  let additions = 0;
  let deletions = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) files++;
    else if (line.startsWith("--- ")) continue;
    else if (line.startsWith("+")) additions++;
    else if (line.startsWith("-")) deletions++;
  }
  return { files, additions, deletions };
}
