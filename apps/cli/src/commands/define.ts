import type { CliIo } from "../io.js";

/** One option of a command, in commander's syntax (`--max-agents <n>`). */
export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: string | number | boolean | string[];
  /** Converts (and validates) the raw value; throw InvalidArgumentError for a usage error. */
  parse?: (value: string, previous: unknown) => unknown;
  /** Must be given (a usage error otherwise). */
  required?: boolean;
  /** Not listed in --help (internal plumbing such as `dev --detach-child`). */
  hidden?: boolean;
}

/** A positional argument: `<run>` (required) or `[run]` (optional). */
export interface ArgSpec {
  name: string;
  description: string;
  required: boolean;
}

export interface Example {
  command: string;
  description: string;
}

/** What a handler gets besides its arguments and options. */
export interface CommandContext {
  io: CliIo;
  /** `--debug` was given: more detail, stacks on error. */
  debug: boolean;
}

/**
 * A command as data: the path of words that names it (`["cloud", "status"]`), its help, and its
 * handler. The registry in `commands/index.ts` lists them; `program.ts` turns them into
 * commander commands. A handler returns the exit code (0 when it returns nothing).
 */
export interface CommandDefinition<Options = Record<string, unknown>> {
  path: readonly string[];
  description: string;
  args?: readonly ArgSpec[];
  options: readonly OptionSpec[];
  examples: readonly Example[];
  handler(
    args: readonly (string | undefined)[],
    options: Options,
    context: CommandContext,
  ): Promise<number | undefined>;
}

/** Declares a command with typed options (commander hands them over as a plain object). */
export function defineCommand<Options>(definition: CommandDefinition<Options>): CommandDefinition {
  return definition as unknown as CommandDefinition;
}
