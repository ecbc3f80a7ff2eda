import { BernsteinError } from "@bernstein/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Artifact, ArtifactInput } from "../artifact.js";
import { type Stmt, withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { artifactFromRow, artifactToRow } from "../mappers/artifact-mapper.js";
import { artifacts } from "../schema.js";

/** Options of `listArtifacts`. */
export interface ListArtifactsOptions {
  runId: string;
  taskId?: string;
}

function buildArtifactUpsert(db: Db, input: ArtifactInput) {
  // An R2 key names one object: recording it again (a retried step) updates the row in place.
  return db
    .insert(artifacts)
    .values(artifactToRow(input, new Date().toISOString()))
    .onConflictDoUpdate({
      target: artifacts.r2Key,
      set: {
        kind: sql`excluded.kind`,
        sha256: sql`excluded.sha256`,
        bytes: sql`excluded.bytes`,
        taskId: sql`excluded.task_id`,
        attemptId: sql`excluded.attempt_id`,
      },
    });
}

/** The upsert of an artifact row (keyed by `r2Key`), for a batch. */
export function insertArtifactStmts(db: Db, input: ArtifactInput): Stmt[] {
  return [buildArtifactUpsert(db, input)];
}

/** Indexes an R2 object of a run and returns the stored row; the same `r2Key` again updates it. */
export async function insertArtifact(db: Db, input: ArtifactInput): Promise<Artifact> {
  const rows = await withDbErrors(() => buildArtifactUpsert(db, input).returning());
  const row = rows[0];
  if (!row) throw new BernsteinError("internal", `artifact ${input.r2Key} was not stored`);
  return artifactFromRow(row);
}

/** A run's artifacts (of one task when `taskId` is given), oldest first. */
export async function listArtifacts(db: Db, options: ListArtifactsOptions): Promise<Artifact[]> {
  const where =
    options.taskId === undefined
      ? eq(artifacts.runId, options.runId)
      : and(eq(artifacts.runId, options.runId), eq(artifacts.taskId, options.taskId));
  const rows = await db.select().from(artifacts).where(where).orderBy(asc(artifacts.id));
  return rows.map(artifactFromRow);
}
