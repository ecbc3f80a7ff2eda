import type { BernsteinClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";

/** The id of the stack's newest run, if it has any. */
export async function newestRunId(client: BernsteinClient): Promise<string | undefined> {
  const runs = await client.listRuns();
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.id;
}

/** The run a command is about: the one named, else the newest of the stack. */
export async function selectRunId(client: BernsteinClient, runId: string | undefined): Promise<string> {
  if (runId) return runId;
  const newest = await newestRunId(client);
  if (!newest) {
    throw new BernsteinError("not_found", "this stack has no runs yet", {
      details: { fix: 'Start one with: bernstein run --goal "..."' },
    });
  }
  return newest;
}
