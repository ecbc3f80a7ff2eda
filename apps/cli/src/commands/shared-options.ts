import type { OptionSpec } from "./define.js";

export const JSON_OPTION: OptionSpec = { flags: "--json", description: "print the result as one JSON document" };

export const STATE_DIR_OPTION: OptionSpec = {
  flags: "--state-dir <dir>",
  description: "the stack's state dir, relative to the repo root (default .bernstein, or BERNSTEIN_STATE_DIR)",
};

export const CLOUD_OPTION: OptionSpec = {
  flags: "--cloud",
  description: "use the deployed stack (`bernstein cloud deploy`) instead of this repo's local one",
};

export const PROJECT_OPTION: OptionSpec = {
  flags: "--project <name>",
  description: "with --cloud: the deployed project (default: the only one in projects.json)",
};

/** Where a command finds its stack: the state dir of the local one, or --cloud [--project]. */
export const STACK_OPTIONS: readonly OptionSpec[] = [STATE_DIR_OPTION, CLOUD_OPTION, PROJECT_OPTION];
