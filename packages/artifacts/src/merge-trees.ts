import type { FileMode, Manifest, ManifestEntry } from "@bernstein/core";
import { diff3Merge } from "node-diff3";
import pMap from "p-map";
import { diffManifests } from "./diff-manifests.js";
import { applyOverlay, compareCodeUnits, entryAt, sameEntry } from "./overlay.js";
import type { ReadText, WriteText } from "./tree-io.js";

/** Inputs of a three-way tree merge. */
export interface MergeTreesOptions {
  /** The common ancestor. */
  base: Manifest;
  /** One side (in a run: the integration tree). Conflicting paths keep this side's entry. */
  ours: Manifest;
  /** The other side (in a run: the task's result tree). */
  theirs: Manifest;
  /** A blob's text, or null when it is binary. */
  readText: ReadText;
  /** Stores a cleanly merged text and names it. */
  writeText: WriteText;
}

/** A merged tree and the paths that could not be merged (sorted). */
export interface MergeTreesResult {
  /** The merged tree: `ours` itself (the same object) when the merge changes nothing in it. */
  manifest: Manifest;
  conflicts: string[];
}

// Files merged at once (each reads up to three blobs).
const MERGE_CONCURRENCY = 8;

type Outcome = { entry: ManifestEntry | undefined } | { conflict: true; entry: ManifestEntry | undefined };

/**
 * Three-way merge of whole trees. A path changed on one side takes that side; the same change
 * on both sides is kept once; text changed differently on both sides is merged line by line
 * (diff3). Overlapping line changes, delete vs modify, and binary files changed on both sides
 * are conflicts: they are listed in `conflicts` and keep `ours` in the manifest.
 *
 * Only the paths `theirs` changed from `base` are merged: everywhere else the merge is `ours`
 * as it is. In a run `theirs` is one task's tree, a few changes on a base that grows with every
 * merge, so the work is a scan for those changes and one copy of `ours` with them slotted in.
 */
export async function mergeTrees(options: MergeTreesOptions): Promise<MergeTreesResult> {
  const { base, ours, theirs } = options;
  const { added, modified, deleted } = diffManifests(base, theirs);
  const paths = [...added, ...modified, ...deleted].sort(compareCodeUnits);
  const outcomes = await pMap(
    paths,
    (path) => mergePath(entryAt(base, path), entryAt(ours, path), entryAt(theirs, path), options),
    { concurrency: MERGE_CONCURRENCY },
  );
  const changes: [string, ManifestEntry | null][] = [];
  const conflicts: string[] = [];
  outcomes.forEach((outcome, i) => {
    const path = paths[i] as string;
    if ("conflict" in outcome) conflicts.push(path);
    if (!sameEntry(outcome.entry, entryAt(ours, path))) changes.push([path, outcome.entry ?? null]);
  });
  if (changes.length === 0) return { manifest: ours, conflicts };
  // fromEntries defines own properties, so a file named `__proto__` stays a file.
  return { manifest: applyOverlay(ours, Object.fromEntries(changes)), conflicts };
}

async function mergePath(
  base: ManifestEntry | undefined,
  ours: ManifestEntry | undefined,
  theirs: ManifestEntry | undefined,
  io: Pick<MergeTreesOptions, "readText" | "writeText">,
): Promise<Outcome> {
  if (sameEntry(ours, theirs)) return { entry: ours };
  if (sameEntry(base, ours)) return { entry: theirs };
  if (sameEntry(base, theirs)) return { entry: ours };
  const conflict: Outcome = { conflict: true, entry: ours };
  // Both sides changed the path, differently. A deletion against a change cannot be merged.
  if (ours === undefined || theirs === undefined) return conflict;
  const mode = mergeMode(base?.mode, ours.mode, theirs.mode);
  if (mode === null) return conflict;
  if (ours.sha256 === theirs.sha256) return { entry: { ...ours, mode } };
  const [baseText, ourText, theirText] = await Promise.all([
    base ? io.readText(base.sha256) : "",
    io.readText(ours.sha256),
    io.readText(theirs.sha256),
  ]);
  if (baseText === null || ourText === null || theirText === null) return conflict;
  const merged = mergeText(baseText, ourText, theirText);
  if (merged === null) return conflict;
  const written = await io.writeText(merged);
  return { entry: { sha256: written.sha256, size: written.size, mode } };
}

/** The merged mode: a change on one side wins; different changes on both sides conflict (null). */
function mergeMode(base: FileMode | undefined, ours: FileMode, theirs: FileMode): FileMode | null {
  if (ours === theirs) return ours;
  if (base === ours) return theirs;
  if (base === theirs) return ours;
  return null;
}

/** Line-wise three-way merge with diff3; null when the two sides touch the same lines. */
export function mergeText(base: string, ours: string, theirs: string): string | null {
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true });
  let out = "";
  for (const region of regions) {
    if (region.conflict) return null;
    out += (region.ok ?? []).join("");
  }
  return out;
}

/** Lines with their terminators kept, so joining them gives the text back byte for byte. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
