import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError, formatZodError } from "@bernstein/core";
import { z } from "zod";

const Commands = z.array(z.string().trim().min(1).max(2_000)).max(20).default([]);

/** `bernstein.json` at the repo root: project settings a run starts from. */
const ProjectConfig = z.object({
  verify: z
    .object({
      /** Run on every candidate and integration tree; a check that passes on the integration tree must keep passing. */
      commands: Commands,
      /** Run before the commands, again only when `setupInputs` changed (e.g. `pnpm install --frozen-lockfile`). */
      setup: Commands,
      /** Globs of the files whose change re-runs setup (default: the usual lockfiles and manifests). */
      setupInputs: z.array(z.string().min(1).max(1_000)).max(100).optional(),
      /** Globs of the JUnit XML reports the commands write (e.g. `reports/*.xml`): checks per test case. */
      reports: z.array(z.string().min(1).max(1_000)).max(20).default([]),
    })
    .default({ commands: [], setup: [], reports: [] }),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;

export const PROJECT_CONFIG_FILE = "bernstein.json";

/** Reads the repo's `bernstein.json` (none: defaults); a malformed one is a usage error naming it. */
export async function readProjectConfig(root: string): Promise<ProjectConfig> {
  const path = join(root, PROJECT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return ProjectConfig.parse({});
    throw new BernsteinError("usage", `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BernsteinError("usage", `${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ProjectConfig.safeParse(json);
  if (!parsed.success) throw new BernsteinError("usage", `${path} is invalid: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** The run's verify settings: bernstein.json's, with `--verify` commands (when given) instead of its own. */
export async function verifySettings(root: string, commands: readonly string[] | undefined) {
  const { verify } = await readProjectConfig(root);
  return {
    verifyCommands: commands ?? verify.commands,
    verifySetup: verify.setup,
    verifySetupInputs: verify.setupInputs,
    verifyReports: verify.reports,
  };
}
