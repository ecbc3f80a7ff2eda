import type { OptionSpec } from "./define.js";

export const JSON_OPTION: OptionSpec = { flags: "--json", description: "print the result as one JSON document" };

export const STATE_DIR_OPTION: OptionSpec = {
  flags: "--state-dir <dir>",
  description: "the stack's state dir, relative to the repo root (default .bernstein, or BERNSTEIN_STATE_DIR)",
};
