import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError } from "@bernstein/core";
import { z } from "zod";

/** What `runs/<run>/integration/<seq>.json` holds: the tree after one merge. */
export const IntegrationRecord = z.object({
  seq: z.number().int().nonnegative(),
  manifest: z.string(),
  taskId: z.string().nullable(),
  at: z.string(),
});
export type IntegrationRecord = z.infer<typeof IntegrationRecord>;

export async function writeIntegration(store: ArtifactStore, runId: string, record: IntegrationRecord): Promise<void> {
  await store.putJson(keys.integration(runId, record.seq), record);
}

export async function readIntegration(store: ArtifactStore, runId: string, seq: number): Promise<IntegrationRecord> {
  const record = await store.getJson(keys.integration(runId, seq), IntegrationRecord);
  if (!record) throw new BernsteinError("not_found", `run ${runId} has no integration tree ${seq}`);
  return record;
}
