import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError } from "@bernstein/core";

/**
 * A workflow instance's step journal in R2: each finished step's result (or its R2 pointer)
 * under the instance's id and the step's deterministic name. A step that runs again finds its
 * result here and returns it without running its body: locally, where a stopped instance is
 * restarted from its first step, this is what keeps a resumed attempt from paying for the same
 * model call twice; on Cloudflare, which resumes by itself, it is a cheap second line.
 */
export interface Journal {
  /** The recorded result of `step`, or undefined when the step has not finished before. */
  read(step: string): Promise<{ value: unknown } | undefined>;
  write(step: string, value: unknown): Promise<void>;
}

/** The journal of one workflow instance of a run. */
export function createJournal(store: ArtifactStore, runId: string, instanceId: string): Journal {
  return {
    async read(step) {
      const entry: unknown = await store.getJson(keys.journal(runId, instanceId, step));
      if (entry === null || entry === undefined) return undefined;
      if (typeof entry !== "object" || !("value" in entry)) {
        throw new BernsteinError("internal", `journal entry ${step} of ${instanceId} is malformed`);
      }
      return { value: entry.value };
    },
    async write(step, value) {
      await store.putJson(keys.journal(runId, instanceId, step), { value });
    },
  };
}
