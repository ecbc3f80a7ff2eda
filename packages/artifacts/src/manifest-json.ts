import { canonicalJson, type Manifest, type ManifestEntry } from "@bernstein/core";
import { compareCodeUnits } from "./overlay.js";

/**
 * `canonicalJson(manifest)`, the text a manifest is named and stored by, in one pass over a tree
 * that is already in code-unit order (what `sortedManifest`, `applyOverlay`, `mergeTrees` and a
 * parsed stored manifest give): no sort, no entry-by-entry generic walk. A tree out of order
 * (integer-like paths, which objects iterate first, or a manifest from outside) is sorted first;
 * an entry of another shape than `{mode, sha256, size}` goes through `canonicalJson`, so the
 * text is always `canonicalJson`'s.
 */
export function manifestJson(manifest: Manifest): string {
  const paths = Object.keys(manifest);
  if (!isSorted(paths)) paths.sort(compareCodeUnits);
  const parts = new Array<string>(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i] as string;
    parts[i] = `${JSON.stringify(path)}:${entryJson(manifest[path] as ManifestEntry)}`;
  }
  return `{${parts.join(",")}}`;
}

function isSorted(paths: readonly string[]): boolean {
  for (let i = 1; i < paths.length; i++) if ((paths[i - 1] as string) >= (paths[i] as string)) return false;
  return true;
}

/**
 * An entry's canonical JSON: its three members in code-unit order (`mode`, `sha256`, `size`).
 * A known mode needs no escaping and a safe integer prints as JSON prints it, so a plain entry
 * is written straight out (the hash through `JSON.stringify`, which is cheaper than checking
 * that it is hex); anything else goes through `canonicalJson`.
 */
function entryJson(entry: ManifestEntry): string {
  if (typeof entry !== "object" || entry === null) return canonicalJson(entry);
  const { mode, sha256, size } = entry;
  const plain =
    (mode === "100644" || mode === "100755" || mode === "120000") &&
    typeof sha256 === "string" &&
    Number.isSafeInteger(size) &&
    memberCount(entry) === 3;
  return plain ? `{"mode":"${mode}","sha256":${JSON.stringify(sha256)},"size":${size}}` : canonicalJson(entry);
}

/** Enumerable members, counted without building an array of them (one entry per file). */
function memberCount(entry: object): number {
  let n = 0;
  for (const _ in entry) n++;
  return n;
}
