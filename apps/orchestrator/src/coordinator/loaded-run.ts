import type { ArtifactStore } from "@bernstein/artifacts";
import { type Attempt, BernsteinError, type Manifest, planInstanceId, type Run, type Task } from "@bernstein/core";
import { type Db, getAttemptsOfRun, getCostEvents, getRun, getTasksOfRun, lastEventSeq } from "@bernstein/db";
import { readIntegration } from "./integration.js";
import { type CoordinatorMemory, emptyMemory, memoryKey } from "./memory.js";

/** Parsed manifests kept in memory per run. */
const MANIFEST_CACHE = 32;

/**
 * The coordinator's in-memory copy of one run: loaded from D1 when the object wakes, changed
 * only by committed transactions (`Tx.commit`), so it always equals what D1 holds.
 */
export class LoadedRun {
  /** Integration seq -> manifest hash, filled lazily from R2. */
  readonly integration = new Map<number, string>();
  /** Parsed manifests by hash (content-addressed, so never stale): merges reuse the trees they made. */
  private readonly manifests = new Map<string, Manifest>();
  private dependents: Map<string, string[]> | undefined;

  constructor(
    public run: Run,
    readonly tasks: Map<string, Task>,
    readonly attempts: Map<string, Attempt>,
    public nextSeq: number,
    /** `<instance>/<step>` of every model call already counted. */
    readonly usageKeys: Set<string>,
    /** What the coordinator keeps beyond D1 (merge queue, parked attempts, ...). */
    public memory: CoordinatorMemory = emptyMemory(),
  ) {
    this.integration.set(run.integrationSeq, run.integrationManifest);
  }

  static async load(db: Db, storage: DurableObjectStorage, runId: string): Promise<LoadedRun> {
    const run = await getRun(db, runId);
    if (!run) throw new BernsteinError("not_found", `no run ${runId}`);
    const [tasks, attempts, seq, costs, memory] = await Promise.all([
      getTasksOfRun(db, runId),
      getAttemptsOfRun(db, runId),
      lastEventSeq(db, runId),
      getCostEvents(db, { runId }),
      storage.get<CoordinatorMemory>(memoryKey(runId)),
    ]);
    return new LoadedRun(
      run,
      new Map(tasks.map((t) => [t.id, t])),
      new Map(attempts.map((a) => [a.id, a])),
      seq + 1,
      new Set(costs.map((c) => `${c.attemptId ?? planInstanceId(runId)}/${c.step}`)),
      memory ?? emptyMemory(),
    );
  }

  /** Manifest hash of the integration tree after merge `seq` (0 = the base snapshot). */
  async integrationManifest(store: ArtifactStore, seq: number): Promise<string> {
    const known = this.integration.get(seq);
    if (known) return known;
    const record = await readIntegration(store, this.run.id, seq);
    this.integration.set(seq, record.manifest);
    return record.manifest;
  }

  /** A manifest from the cache or R2; `not_found` when R2 lacks it. */
  async manifest(store: ArtifactStore, sha: string): Promise<Manifest> {
    const cached = this.manifests.get(sha);
    if (cached) return cached;
    const manifest = await store.getManifest(sha);
    if (!manifest) throw new BernsteinError("not_found", `snapshot ${sha} is missing from R2`);
    this.remember(sha, manifest);
    return manifest;
  }

  /** Keeps a manifest this coordinator made or read (the oldest goes beyond `MANIFEST_CACHE`). */
  remember(sha: string, manifest: Manifest): void {
    this.manifests.set(sha, manifest);
    if (this.manifests.size > MANIFEST_CACHE) this.manifests.delete(this.manifests.keys().next().value as string);
  }

  /** Tasks that directly depend on `taskId`. */
  dependentsOf(taskId: string): string[] {
    if (!this.dependents) {
      this.dependents = new Map();
      for (const task of this.tasks.values()) {
        for (const dep of task.dependsOn) this.dependents.set(dep, [...(this.dependents.get(dep) ?? []), task.id]);
      }
    }
    return this.dependents.get(taskId) ?? [];
  }

  /** Called when tasks are added (plan accepted), so derived indexes are rebuilt. */
  tasksChanged(): void {
    this.dependents = undefined;
  }
}
