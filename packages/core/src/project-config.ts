import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { COMMAND_DEFAULTS, CommandPolicy } from "./command-policy.js";
import { BernsteinError } from "./errors.js";
import { formatZodError } from "./zod-error.js";

/** The project file at the repo root. */
export const PROJECT_CONFIG_FILE = "bernstein.json";

const Commands = z.array(z.string().trim().min(1).max(2_000)).max(20).default([]);

/**
 * Variables a command gets from the runner's environment beyond PATH, HOME, LANG, TERM and
 * CI=true (nothing else reaches it). A runner reads them from the repository it serves, never
 * from a job's tree, which a model may have changed.
 */
const EnvNames = z
  .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "an environment variable name"))
  .max(100)
  .default([]);

/**
 * `bernstein.json`: the project's settings a run starts from. JSON with comments and trailing
 * commas (as wrangler's `jsonc`); its JSON schema is `bernstein.schema.json` of this package,
 * generated from this zod schema. Only implemented fields are declared, and unknown ones are
 * refused, so a typo never passes silently.
 */
export const ProjectConfig = z
  .strictObject({
    $schema: z.string().optional().describe("the JSON schema of this file, for editors"),
    verify: z
      .strictObject({
        commands: Commands.describe(
          "shell commands run on every candidate and integration tree; a check that passes on the integration tree must keep passing",
        ),
        setup: Commands.describe(
          "commands run before the verify commands, again only when setupInputs changed (e.g. pnpm install --frozen-lockfile)",
        ),
        setupInputs: z
          .array(z.string().min(1).max(1_000))
          .max(100)
          .optional()
          .describe("globs of the files whose change re-runs setup (default: the usual lockfiles and manifests)"),
        reports: z
          .array(z.string().min(1).max(1_000))
          .max(20)
          .default([])
          .describe("globs of the JUnit XML reports the commands write (e.g. reports/*.xml): checks per test case"),
        env: EnvNames.describe(
          "names of the runner's environment variables that setup and verify commands get (besides PATH, HOME, LANG, TERM; CI=true)",
        ),
      })
      .default({ commands: [], setup: [], reports: [], env: [] })
      .describe("how a task's result is verified"),
    agent: z
      .strictObject({
        commands: z
          .strictObject({
            allow: CommandPolicy.shape.allow.describe(
              "globs of the commands the agents' run_command may run (`*` matches anything); empty: every command not denied",
            ),
            deny: CommandPolicy.shape.deny.describe('globs of commands refused even when allowed, e.g. "git push*"'),
            timeoutSeconds: CommandPolicy.shape.timeoutSeconds.describe(
              `the longest a command may run, in seconds (default ${COMMAND_DEFAULTS.timeoutSeconds})`,
            ),
            maxOutputBytes: CommandPolicy.shape.maxOutputBytes.describe(
              `how much of a command's output the agent sees, head and tail (default ${COMMAND_DEFAULTS.maxOutputBytes})`,
            ),
            env: EnvNames.describe(
              "names of the runner's environment variables that the agent's commands get (besides PATH, HOME, LANG, TERM; CI=true)",
            ),
          })
          .default({ allow: [], deny: [], ...COMMAND_DEFAULTS, env: [] })
          .describe("what the agents may run on a runner while they work (run_command)"),
      })
      .default({ commands: { allow: [], deny: [], ...COMMAND_DEFAULTS, env: [] } })
      .describe("how the agents work"),
  })
  .describe("Bernstein project settings (bernstein.json at the repo root)");
export type ProjectConfig = z.infer<typeof ProjectConfig>;

/** The JSON schema of `bernstein.json` (what `bernstein.schema.json` holds). */
export function projectConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ProjectConfig, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
}

/**
 * Parses the text of a `bernstein.json` (comments and trailing commas allowed). Throws a
 * `usage` error naming `source` and the first problem: a syntax error with its line and
 * column, or the field that does not fit the schema.
 */
export function parseProjectConfig(text: string, source: string): ProjectConfig {
  const errors: ParseError[] = [];
  const json: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = position(text, first.offset);
    throw new BernsteinError("usage", `${source}:${line}:${column}: ${printParseErrorCode(first.error)}`, {
      details: { fix: `Fix ${source}: JSON with comments and trailing commas.` },
    });
  }
  const parsed = ProjectConfig.safeParse(json ?? {});
  if (!parsed.success) {
    throw new BernsteinError("usage", `${source} is invalid: ${formatZodError(parsed.error)}`, {
      details: { fix: `Fix ${source}; its fields are described by @bernstein/core's bernstein.schema.json.` },
    });
  }
  return parsed.data;
}

/** The defaults, for a project without `bernstein.json`. */
export function defaultProjectConfig(): ProjectConfig {
  return ProjectConfig.parse({});
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
