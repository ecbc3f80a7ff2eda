import type { Manifest } from "@bernstein/core";
import { compareCodeUnits, entryAt, sameEntry } from "./overlay.js";

/** Paths that differ between two trees, each list sorted. */
export interface ManifestDiff {
  added: string[];
  modified: string[];
  deleted: string[];
}

/** What changed from `base` to `next`; a mode-only change counts as modified. */
export function diffManifests(base: Manifest, next: Manifest): ManifestDiff {
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  // Keys and own-property checks, no array of [path, entry] pairs: this walks whole trees.
  for (const path of Object.keys(next)) {
    const before = entryAt(base, path);
    if (before === undefined) added.push(path);
    else if (!sameEntry(before, next[path])) modified.push(path);
  }
  for (const path of Object.keys(base)) if (entryAt(next, path) === undefined) deleted.push(path);
  return {
    added: added.sort(compareCodeUnits),
    modified: modified.sort(compareCodeUnits),
    deleted: deleted.sort(compareCodeUnits),
  };
}
