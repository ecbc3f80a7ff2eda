import type { Artifact, ArtifactInput } from "../artifact.js";
import type { ArtifactRow, artifacts } from "../schema.js";

type ArtifactInsert = typeof artifacts.$inferInsert;

/** An artifact to index as an `artifacts` row (`id` is assigned by D1). */
export function artifactToRow(input: ArtifactInput, createdAt: string): Omit<ArtifactInsert, "id"> {
  return {
    runId: input.runId,
    taskId: input.taskId,
    attemptId: input.attemptId,
    kind: input.kind,
    r2Key: input.r2Key,
    sha256: input.sha256,
    bytes: input.bytes,
    createdAt,
  };
}

/** An `artifacts` row as an Artifact. */
export function artifactFromRow(row: ArtifactRow): Artifact {
  return {
    id: row.id,
    runId: row.runId,
    taskId: row.taskId,
    attemptId: row.attemptId,
    kind: row.kind,
    r2Key: row.r2Key,
    sha256: row.sha256,
    bytes: row.bytes,
    createdAt: row.createdAt,
  };
}
