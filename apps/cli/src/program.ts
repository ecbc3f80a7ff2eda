import { BernsteinError } from "@bernstein/core";
import { Command, CommanderError, Option } from "commander";
import type { CommandDefinition } from "./commands/define.js";
import { COMMANDS, GROUPS } from "./commands/index.js";
import { handleError, oneLine } from "./errors.js";
import { EXIT } from "./exit-codes.js";
import { InterruptError } from "./interrupt.js";
import type { CliIo } from "./io.js";
import { createColors, shouldColor } from "./output/colors.js";
import { VERSION } from "./version.js";

const USAGE_FIX = "Run `bernstein --help` (or `bernstein <command> --help`) for usage and examples.";

/**
 * Runs the CLI on `argv` (without node and script) against `io` and returns the exit code.
 * Tests call this in process; `main.ts` calls it with the real process.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CommandDefinition[] = COMMANDS,
): Promise<number> {
  const debug = argv.includes("--debug");
  const color = shouldColor(io.stderr, io.env);
  let exitCode: number = EXIT.ok;
  const program = buildProgram(commands, io, debug, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io, color);
    // After Ctrl-C, whatever broke on the way out is the interruption's doing.
    return handleError(io.signal.aborted ? io.signal.reason : error, io.stderr, { debug, color });
  }
  if (io.signal.aborted)
    return io.signal.reason instanceof InterruptError ? io.signal.reason.exitCode : EXIT.interrupted;
  return exitCode;
}

/** Builds the commander tree: one command per definition, nested by its path of words. */
export function buildProgram(
  commands: readonly CommandDefinition[],
  io: CliIo,
  debug: boolean,
  setExitCode: (code: number) => void,
): Command {
  const program = new Command("bernstein")
    .description("Bernstein Cloud: a crew of coding agents on your git repo, on Cloudflare or on this machine.")
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    // Our own `help [command...]` below: commander's takes one word and exits 1.
    .helpCommand(false)
    .option("--debug", "print stack traces and the stack's own logs (before or after the command)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are printed by runCli in the `error: usage: ...` form.
      outputError: () => undefined,
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    // `dev stop --json` must give --json to `stop`, not to `dev`, which has the same option.
    .enablePositionalOptions();
  program.addHelpText(
    "after",
    '\nExamples:\n  $ bernstein demo\n  $ bernstein run --goal "Add input validation" --wait\n  $ bernstein cloud status --json\n\nExit codes: 0 ok, 1 failed run or operation, 2 usage error, 3 run paused at its budget, 70 internal bug, 130 interrupted.\nEnvironment: NO_COLOR, BERNSTEIN_MODEL, ANTHROPIC_API_KEY, OPENAI_API_KEY, BERNSTEIN_URL, BERNSTEIN_TOKEN.\n',
  );

  const nodes = new Map<string, Command>([["", program]]);
  const nodeFor = (path: readonly string[]): Command => {
    const key = path.join(" ");
    const existing = nodes.get(key);
    if (existing) return existing;
    const parent = nodeFor(path.slice(0, -1));
    const node = parent.command(path[path.length - 1] as string).enablePositionalOptions();
    const group = GROUPS[key];
    if (group) node.description(group);
    nodes.set(key, node);
    return node;
  };

  program
    .command("help")
    .description("show help for a command: `bernstein help cloud status`")
    .argument("[command...]", "the command's words")
    .action((words: string[]) => {
      const node = nodes.get(words.join(" "));
      if (!node) throw new BernsteinError("usage", `unknown command "${words.join(" ")}"`);
      node.outputHelp();
    });
  program
    .command("version")
    .description("print the version (same as --version)")
    .option("--json", "print {version} as JSON")
    .action((options: { json?: boolean }) => {
      io.stdout.write(options.json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
    });

  for (const definition of commands) {
    const command = nodeFor(definition.path).description(definition.description);
    for (const arg of definition.args ?? [])
      command.argument(arg.required ? `<${arg.name}>` : `[${arg.name}]`, arg.description);
    for (const spec of definition.options) {
      // Required options are checked in the action, after commander refused unknown ones:
      // `run --frobnicate` names the unknown flag, not a missing --goal.
      const option = new Option(spec.flags, spec.required ? `${spec.description} (required)` : spec.description);
      if (spec.parse) option.argParser(spec.parse);
      if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
      if (spec.hidden) option.hideHelp();
      command.addOption(option);
    }
    command.option("--debug", "print stack traces and the stack's own logs");
    command.addHelpText("after", examplesText(definition));
    command.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      for (const spec of definition.options) {
        const option = self.options.find((o) => o.flags === spec.flags);
        if (spec.required && option && self.getOptionValue(option.attributeName()) === undefined) {
          throw new BernsteinError("usage", `required option '${spec.flags}' not specified`);
        }
      }
      const args = params
        .slice(0, definition.args?.length ?? 0)
        .map((value) => (typeof value === "string" ? value : undefined));
      const code = await definition.handler(args, self.opts(), { io, debug });
      setExitCode(code ?? EXIT.ok);
    });
  }
  return program;
}

function examplesText(definition: CommandDefinition): string {
  if (definition.examples.length === 0) return "";
  const lines = definition.examples.map((e) => `  # ${e.description}\n  $ ${e.command}`);
  return `\nExamples:\n${lines.join("\n\n")}\n`;
}

function commanderExit(error: CommanderError, io: CliIo, color: boolean): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
  // `bernstein` or `bernstein cloud` alone: commander printed the help; that is not success.
  if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync") return EXIT.usage;
  const paint = createColors(color);
  const message = oneLine(error.message.replace(/^error: /, ""));
  io.stderr.write(`${paint.red("error:")} usage: ${message}\n  ${paint.dim(USAGE_FIX)}\n`);
  return EXIT.usage;
}
