import type { ArtifactStore } from "@bernstein/artifacts";
import { type Attempt, BernsteinError, type Job, type Manifest, type Run, type Task } from "@bernstein/core";
import { runOfRow } from "@bernstein/db";
import { ClaimIndex } from "./claim-index.js";
import { readIntegration } from "./integration.js";
import { type CoordinatorMemory, emptyMemory, parseMemory } from "./memory.js";
import type { StoredRun } from "./store/run-store.js";
import { TaskCounts } from "./task-counts.js";

/**
 * Parsed manifests kept in memory per run, beyond two per agent. Each merge adds two (the
 * attempt's tree, read, and the merged tree it makes), and an attempt's base is the merged tree
 * of the integration when it was claimed, up to `maxAgents` merges ago: with fewer, every merge
 * read its base again from R2 (a get, a hash and a parse of a tree that grows with the run).
 */
const MANIFEST_CACHE = 32;

/**
 * The coordinator's in-memory copy of one run: loaded from its SQLite when the object wakes,
 * changed only by committed transactions (`Tx.commit`), so it always equals what is stored.
 */
export class LoadedRun {
  /** Integration seq -> manifest hash, filled lazily from R2. */
  readonly integration = new Map<number, string>();
  /** Parsed manifests by hash (content-addressed, so never stale): merges reuse the trees they made. */
  private readonly manifests = new Map<string, Manifest>();
  private dependents: Map<string, string[]> | undefined;

  /** The memory as last written (JSON), to write it only when a transaction changed it. */
  memoryJson: string;
  /** How many tasks are in each status. */
  readonly counts: TaskCounts;
  /** The tasks in claim order, and which are active (see `claim-index.ts`). */
  readonly claims: ClaimIndex;

  constructor(
    public run: Run,
    /** The key of the request that created the run (kept with the run row). */
    readonly idempotencyKey: string | null,
    readonly tasks: Map<string, Task>,
    readonly attempts: Map<string, Attempt>,
    /** The verification jobs the coordinator created (runners claim them in D1). */
    readonly jobs: Map<string, Job>,
    public nextSeq: number,
    /** What the coordinator keeps beyond its rows (merge queue, parked attempts, ...). */
    public memory: CoordinatorMemory = emptyMemory(),
  ) {
    this.integration.set(run.integrationSeq, run.integrationManifest);
    this.memoryJson = JSON.stringify(memory);
    this.counts = new TaskCounts([...tasks.values()].map((t) => t.status));
    this.claims = new ClaimIndex(tasks);
  }

  /** The run as its coordinator's SQLite holds it. */
  static fromStored(stored: StoredRun): LoadedRun {
    return new LoadedRun(
      runOfRow(stored.run),
      stored.run.idempotencyKey,
      new Map(stored.tasks.map((t) => [t.id, t])),
      new Map(stored.attempts.map((a) => [a.id, a])),
      new Map(stored.jobs.map((j) => [j.id, j])),
      stored.lastSeq + 1,
      stored.memory === null ? emptyMemory() : parseMemory(stored.memory),
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
    if (cached) {
      // Used again: it moves to the newest end, so the trees in use stay while unused ones go.
      this.manifests.delete(sha);
      this.manifests.set(sha, cached);
      return cached;
    }
    // Trees of the run, stored by putManifest or the merge queue: checked by hash, not parsed again.
    const manifest = await store.getStoredManifest(sha);
    if (!manifest) throw new BernsteinError("not_found", `snapshot ${sha} is missing from R2`);
    this.remember(sha, manifest);
    return manifest;
  }

  /** Keeps a manifest this coordinator made or read (the least recently used goes beyond the cache's size). */
  remember(sha: string, manifest: Manifest): void {
    this.manifests.delete(sha);
    this.manifests.set(sha, manifest);
    const size = MANIFEST_CACHE + 2 * this.run.maxAgents;
    while (this.manifests.size > size) this.manifests.delete(this.manifests.keys().next().value as string);
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
    this.claims.added();
  }
}
