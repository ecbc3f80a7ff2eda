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

/** What is known, before the first read, about what an instance recorded in its journal. */
export interface JournalStart {
  /**
   * The step every run of the instance journals before any other (`load`): the first look is a
   * `head` of its entry instead of a list, since without it the instance recorded nothing.
   */
  first?: string;
  /**
   * Whether the instance may have run before (its first step said so, e.g. `AttemptContext.resumed`).
   * False: it recorded nothing, and reads cost no R2 operation at all.
   */
  resumed?: boolean;
}

/**
 * The journal of one workflow instance of a run. What the instance recorded before this run of
 * it is listed once, at the first read, so a step that never finished costs no R2 read; `start`
 * says when even that list can be skipped (a fresh instance, the common case). Only this run of
 * the instance writes its journal, and a step it records is not read again by it.
 */
export function createJournal(
  store: ArtifactStore,
  runId: string,
  instanceId: string,
  start: JournalStart = {},
): Journal {
  let recorded: Promise<Set<string>> | undefined;
  const listed = () =>
    store.list(keys.journalPrefix(runId, instanceId)).then((objects) => new Set(objects.map((o) => o.key)));
  const known = () => {
    recorded ??=
      start.resumed === false
        ? Promise.resolve(new Set<string>())
        : start.first === undefined
          ? listed()
          : store
              .head(keys.journal(runId, instanceId, start.first))
              .then((entry) => (entry === null ? new Set<string>() : listed()));
    return recorded;
  };
  return {
    async read(step) {
      const key = keys.journal(runId, instanceId, step);
      if (!(await known()).has(key)) return undefined;
      const entry: unknown = await store.getJson(key);
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
