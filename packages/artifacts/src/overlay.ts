import type { Manifest, ManifestEntry } from "@bernstein/core";

/** An attempt's changes to a tree: path -> new entry, or null for a deleted file. */
export type Overlay = Record<string, ManifestEntry | null>;

/**
 * The tree `base` becomes with `overlay` applied (keys sorted; inputs untouched). A `base` in
 * code-unit order (every tree this package makes or stores) is walked once, the few changed
 * paths slotted in as it goes: no sort of the whole tree, so an attempt's few changes cost
 * little more than a copy of its base.
 */
export function applyOverlay(base: Manifest, overlay: Overlay): Manifest {
  const changes = Object.keys(overlay).sort(compareCodeUnits);
  const out: [string, ManifestEntry][] = [];
  const take = (path: string): void => {
    const entry = overlay[path];
    if (entry) out.push([path, entry]);
  };
  let next = 0;
  let previous: string | undefined;
  for (const path of Object.keys(base)) {
    // Out of order (integer-like paths iterate first, or a tree from outside): sort it all.
    if (previous !== undefined && previous >= path) return sortedOverlay(base, overlay);
    previous = path;
    while (next < changes.length && (changes[next] as string) < path) take(changes[next++] as string);
    if (changes[next] === path) take(changes[next++] as string);
    else out.push([path, base[path] as ManifestEntry]);
  }
  while (next < changes.length) take(changes[next++] as string);
  // fromEntries defines own properties, so a file named `__proto__` stays a file.
  return Object.fromEntries(out);
}

function sortedOverlay(base: Manifest, overlay: Overlay): Manifest {
  const merged = new Map(Object.entries(base));
  for (const [path, entry] of Object.entries(overlay)) {
    if (entry === null) merged.delete(path);
    else merged.set(path, entry);
  }
  return sortedManifest(merged);
}

/**
 * What `overlay` really changes in `base`, as two small trees: each changed path's entry
 * before (absent for an added file) and after (absent for a deleted one); a path written with
 * the same content and mode is no change. Their diff is the diff of `base` to
 * `applyOverlay(base, overlay)`, at the cost of the overlay, not of the tree.
 */
export function overlayChanges(base: Manifest, overlay: Overlay): { before: Manifest; after: Manifest } {
  const before: [string, ManifestEntry][] = [];
  const after: [string, ManifestEntry][] = [];
  for (const [path, entry] of Object.entries(overlay)) {
    const old = entryAt(base, path);
    if (sameEntry(old, entry ?? undefined)) continue;
    if (old) before.push([path, old]);
    if (entry) after.push([path, entry]);
  }
  // fromEntries defines own properties, so a file named `__proto__` stays a file.
  return { before: Object.fromEntries(before), after: Object.fromEntries(after) };
}

/** A manifest with keys in code-unit order, so equal trees print and iterate the same way. */
function sortedManifest(entries: Iterable<[string, ManifestEntry]>): Manifest {
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
