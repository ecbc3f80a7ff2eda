/** What an R2 object of a run is; `artifacts.kind` holds one of these. */
export const ARTIFACT_KINDS = [
  "plan",
  "snapshot",
  "transcript",
  "patch",
  "verify_log",
  "result",
  "integration",
  "audit_seal",
] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** What `insertArtifact` takes: an R2 object and what it belongs to. */
export interface ArtifactInput {
  runId: string;
  taskId: string | null;
  attemptId: string | null;
  kind: ArtifactKind;
  r2Key: string;
  sha256: string;
  bytes: number;
}

/** One indexed R2 object, as stored. */
export interface Artifact extends ArtifactInput {
  id: number;
  createdAt: string;
}
