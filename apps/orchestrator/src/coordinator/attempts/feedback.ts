import type { Attempt, ErrorJson } from "@bernstein/core";
import type { Ctx } from "../context.js";

/** How much of a failed patch the next attempt sees. */
const FEEDBACK_PATCH_CHARS = 12_000;

/** What the next attempt reads about a failed one: the error (and `details`) and the patch it tried. */
export async function failureFeedback(c: Ctx, attempt: Attempt, error: ErrorJson, details?: string): Promise<string> {
  const parts = [`Your previous attempt failed (${error.code}): ${error.message}`];
  if (details) parts.push(details);
  if (attempt.patchKey) {
    const patch = await c.store.getText(attempt.patchKey);
    if (patch) {
      const shown = patch.length > FEEDBACK_PATCH_CHARS ? `${patch.slice(0, FEEDBACK_PATCH_CHARS)}\n… (cut)` : patch;
      parts.push("Its patch was:", shown);
    }
  }
  parts.push("This attempt starts again from the current integration tree, not from those files. Avoid that failure.");
  return parts.join("\n\n");
}

/** What the next attempt reads after a merge conflict. */
export function conflictFeedback(files: readonly string[]): string {
  return [
    "Your previous attempt could not be merged: other tasks changed the same lines meanwhile in",
    files.map((f) => `- ${f}`).join("\n"),
    "This attempt starts from the current integration tree, which contains their changes. Redo your change on top of it.",
  ].join("\n");
}
