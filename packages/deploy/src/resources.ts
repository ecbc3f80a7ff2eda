import { BernsteinError } from "@bernstein/core";
import type { Jurisdiction } from "./deploy-configs.js";
import { runWrangler, runWranglerJson, type WranglerContext } from "./wrangler.js";

export interface Placement {
  locationHint?: string | undefined;
  jurisdiction?: Jurisdiction | undefined;
}

/** The id of the D1 database called `name`, if the account has one. */
export async function findDatabase(context: WranglerContext, name: string): Promise<string | undefined> {
  const list = await runWranglerJson<{ uuid: string; name: string }[]>(context, {
    args: ["d1", "list", "--json"],
    doing: "list the account's D1 databases",
  });
  return list.find((db) => db.name === name)?.uuid;
}

/** Creates the D1 database and returns its id. */
export async function createDatabase(context: WranglerContext, name: string, placement: Placement): Promise<string> {
  const args = ["d1", "create", name];
  if (placement.jurisdiction) args.push("--jurisdiction", placement.jurisdiction);
  else if (placement.locationHint) args.push("--location", placement.locationHint);
  await runWrangler(context, { args, doing: `create D1 database ${name}` });
  const id = await findDatabase(context, name);
  if (!id) throw new BernsteinError("cloud_api", `D1 database ${name} was created but is not listed`);
  return id;
}

/** True when the account has the R2 bucket `name` (in the jurisdiction, when one is given). */
export async function hasBucket(context: WranglerContext, name: string, placement: Placement): Promise<boolean> {
  const args = ["r2", "bucket", "list"];
  if (placement.jurisdiction) args.push("--jurisdiction", placement.jurisdiction);
  const text = await runWrangler(context, { args, doing: "list the account's R2 buckets" });
  return text.split("\n").some((line) => line.replace(/^name:\s*/, "").trim() === name && /^name:/.test(line));
}

export async function createBucket(context: WranglerContext, name: string, placement: Placement): Promise<void> {
  const args = ["r2", "bucket", "create", name];
  // As for D1: a jurisdiction decides where the data is, and the hint is then left out.
  if (placement.jurisdiction) args.push("--jurisdiction", placement.jurisdiction);
  else if (placement.locationHint) args.push("--location", placement.locationHint);
  await runWrangler(context, { args, doing: `create R2 bucket ${name}` });
}

/** Rows of one SQL statement run on the remote D1 database. */
export async function remoteQuery<T>(context: WranglerContext, database: string, sql: string): Promise<T[]> {
  const results = await runWranglerJson<{ results: T[] }[]>(context, {
    args: ["d1", "execute", database, "--remote", "--json", "--command", sql],
    doing: `query D1 database ${database}`,
  });
  return results.flatMap((r) => r.results);
}
