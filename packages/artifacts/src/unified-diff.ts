import type { Manifest, ManifestEntry } from "@bernstein/core";
import { formatPatch, type StructuredPatch, structuredPatch } from "diff";
import pMap from "p-map";
import { diffManifests } from "./diff-manifests.js";
import { compareCodeUnits, entryAt } from "./overlay.js";
import type { ReadText } from "./tree-io.js";

// Blob reads in flight at once while building a diff.
const READ_CONCURRENCY = 16;
// Lines of context around each hunk, as git shows by default.
const CONTEXT_LINES = 3;
const SYMLINK = "120000";

/**
 * A git-style multi-file unified diff from `base` to `next` (paths sorted), which `git apply`
 * accepts for text changes. `readText` gives a blob's text, or null for binary content, which
 * is shown as `Binary files a/x and b/x differ`.
 */
export async function unifiedDiff(base: Manifest, next: Manifest, readText: ReadText): Promise<string> {
  const { added, modified, deleted } = diffManifests(base, next);
  const paths = [...added, ...modified, ...deleted].sort(compareCodeUnits);
  const parts = await pMap(paths, (path) => filePatch(path, entryAt(base, path), entryAt(next, path), readText), {
    concurrency: READ_CONCURRENCY,
  });
  return parts.join("");
}

async function filePatch(
  path: string,
  before: ManifestEntry | undefined,
  after: ManifestEntry | undefined,
  readText: ReadText,
): Promise<string> {
  // git cannot express a symlink <-> file type change as one patch: it deletes and re-creates.
  if (before && after && before.mode !== after.mode && (before.mode === SYMLINK || after.mode === SYMLINK)) {
    return (await filePatch(path, before, undefined, readText)) + (await filePatch(path, undefined, after, readText));
  }
  const patch: StructuredPatch = {
    oldFileName: before ? `a/${path}` : "/dev/null",
    newFileName: after ? `b/${path}` : "/dev/null",
    oldHeader: undefined,
    newHeader: undefined,
    hunks: [],
    isGit: true,
    isCreate: before === undefined,
    isDelete: after === undefined,
    // formatPatch prints `old mode`/`new mode` whenever both are set: only set both for a real change.
    ...(before && before.mode !== after?.mode ? { oldMode: before.mode } : {}),
    ...(after && after.mode !== before?.mode ? { newMode: after.mode } : {}),
  };
  if (before && after && before.sha256 === after.sha256) return formatPatch(patch);
  const [oldText, newText] = await Promise.all([
    before ? readText(before.sha256) : "",
    after ? readText(after.sha256) : "",
  ]);
  if (oldText === null || newText === null) return binaryPatch(patch);
  const { hunks } = structuredPatch(
    patch.oldFileName ?? "",
    patch.newFileName ?? "",
    oldText,
    newText,
    undefined,
    undefined,
    {
      context: CONTEXT_LINES,
    },
  );
  return formatPatch({ ...patch, hunks });
}

function binaryPatch(patch: StructuredPatch): string {
  // jsdiff has no binary form: print its git header (no hunks, so no ---/+++), then git's marker.
  return `${formatPatch(patch)}Binary files ${patch.oldFileName} and ${patch.newFileName} differ\n`;
}
