import type { StatePaths } from "../stack/paths.js";
import { isAlive } from "../stack/process.js";
import { readStackFile } from "../stack/stack-file.js";
import { checkRunModels, modelSummaryOf } from "./model-check.js";

/**
 * `run`'s model check, against the stack the run will use: the repo's running stack (the
 * models it recorded in stack.json when it started), else the environment a new stack would
 * start with. A stack named by BERNSTEIN_URL is checked by the stack itself when the run is created.
 */
export async function checkModelsOfStack(
  env: Readonly<Record<string, string | undefined>>,
  paths: StatePaths,
  options: { model?: string | undefined; planned: boolean },
): Promise<void> {
  if (env.BERNSTEIN_URL) return;
  const info = await readStackFile(paths.stackFile);
  if (info?.models && isAlive(info.pid)) checkRunModels(info.models, { ...options, where: "stack" });
  else checkRunModels(modelSummaryOf(env), { ...options, where: "env" });
}
