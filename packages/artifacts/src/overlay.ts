import type { Manifest, ManifestEntry } from "@bernstein/core";

/** An attempt's changes to a tree: path -> new entry, or null for a deleted file. */
export type Overlay = Record<string, ManifestEntry | null>;

/** The tree `base` becomes with `overlay` applied (keys sorted; inputs untouched). */
export function applyOverlay(base: Manifest, overlay: Overlay): Manifest {
  const merged = new Map(Object.entries(base));
  for (const [path, entry] of Object.entries(overlay)) {
    if (entry === null) merged.delete(path);
    else merged.set(path, entry);
  }
  return sortedManifest(merged);
}

/** A manifest with keys in code-unit order, so equal trees print and iterate the same way. */
export function sortedManifest(entries: Iterable<[string, ManifestEntry]>): Manifest {
  // fromEntries defines own properties, so a file named `__proto__` stays a file.
  return Object.fromEntries([...entries].sort(([a], [b]) => compareCodeUnits(a, b)));
}

/** The entry at `path`, reading own properties only (a path may be `constructor` or `__proto__`). */
export function entryAt(manifest: Manifest, path: string): ManifestEntry | undefined {
  return Object.hasOwn(manifest, path) ? manifest[path] : undefined;
}

/** Code-unit order (what `Array.prototype.sort` does for strings), usable as a comparator. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when two entries name the same content with the same mode (absent equals absent). */
export function sameEntry(a: ManifestEntry | undefined, b: ManifestEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.sha256 === b.sha256 && a.mode === b.mode;
}
