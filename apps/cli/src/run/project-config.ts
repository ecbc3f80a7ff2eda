import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError, formatZodError } from "@bernstein/core";
import { z } from "zod";

/** `bernstein.json` at the repo root: project settings a run starts from. */
const ProjectConfig = z.object({
  verify: z.object({ commands: z.array(z.string().min(1)).max(20).default([]) }).default({ commands: [] }),
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
