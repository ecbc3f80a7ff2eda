import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import {
  BernsteinError,
  defaultProjectConfig,
  PROJECT_CONFIG_FILE,
  type ProjectConfig,
  parseProjectConfig,
} from "@bernstein/core";

/**
 * Reads the project's settings: `--config FILE` (relative to the working directory; it must
 * exist), else `bernstein.json` at the repo root (none: the defaults). A malformed file is a
 * usage error naming it, its line and column.
 */
export async function readProjectConfig(root: string, options: { cwd: string; file?: string }): Promise<ProjectConfig> {
  const explicit = options.file !== undefined;
  const path = explicit ? resolve(options.cwd, options.file as string) : join(root, PROJECT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !explicit) return defaultProjectConfig();
    throw new BernsteinError("usage", `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
      details: { fix: "Check the path given to --config." },
    });
  }
  const shown = isAbsolute(options.file ?? "") ? path : relative(options.cwd, path) || path;
  return parseProjectConfig(text, shown);
}

/** The run's verify settings: the project's, with `--verify` commands (when given) instead of its own. */
export function verifySettings(project: ProjectConfig, commands: readonly string[] | undefined) {
  const { verify } = project;
  return {
    verifyCommands: commands ?? verify.commands,
    verifySetup: verify.setup,
    verifySetupInputs: verify.setupInputs,
    verifyReports: verify.reports,
  };
}

/** The variables the project lets commands see (`verify.env` and `agent.commands.env`). */
export function passedEnvNames(project: ProjectConfig): string[] {
  return [...new Set([...project.verify.env, ...project.agent.commands.env])];
}

/** `agent.commands` as a run's command policy: what the agents may run (`env` is the runner's). */
export function commandPolicyOf(project: ProjectConfig) {
  const { env: _env, ...policy } = project.agent.commands;
  return policy;
}
