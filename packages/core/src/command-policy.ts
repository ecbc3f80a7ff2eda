import picomatch from "picomatch/posix";
import { parse } from "shell-quote";
import { z } from "zod";

/** Defaults of `agent.commands`: every command allowed, 120 s, 64 KiB of output. */
export const COMMAND_DEFAULTS = { timeoutSeconds: 120, maxOutputBytes: 65_536 } as const;
/** The largest output a command result may carry (it travels as one Workflow event and step result). */
export const MAX_COMMAND_OUTPUT_BYTES = 262_144;
/** The longest a command may run. */
export const MAX_COMMAND_TIMEOUT_SECONDS = 3_600;

const CommandGlob = z.string().trim().min(1).max(500);

/**
 * What the agent's `run_command` may run (`agent.commands` of bernstein.json, `run --no-commands`):
 * globs over commands (`*` matches any characters, slashes and spaces too), the longest a
 * command may take and how much of its output the model gets (head and tail).
 */
export const CommandPolicy = z.strictObject({
  /** False: the tool is not offered (`run --no-commands`). */
  enabled: z.boolean().default(true),
  /** Empty: every command is allowed (unless denied); else each part of a command must match one. */
  allow: z.array(CommandGlob).max(100).default([]),
  /** A command with a part matching one of these is refused, whatever `allow` says. */
  deny: z.array(CommandGlob).max(100).default([]),
  timeoutSeconds: z.number().int().min(1).max(MAX_COMMAND_TIMEOUT_SECONDS).default(COMMAND_DEFAULTS.timeoutSeconds),
  maxOutputBytes: z.number().int().min(1_024).max(MAX_COMMAND_OUTPUT_BYTES).default(COMMAND_DEFAULTS.maxOutputBytes),
});
export type CommandPolicy = z.infer<typeof CommandPolicy>;

/** The defaults: enabled, everything allowed. */
export function defaultCommandPolicy(): CommandPolicy {
  return CommandPolicy.parse({});
}

export type CommandCheck = { allowed: true } | { allowed: false; rule: string; message: string };

/**
 * Whether `policy` lets the agent run `command`. The command is split into its simple commands
 * (at `&&`, `||`, `;`, `|`, `&`, subshells and command substitutions, as a shell would), so
 * `npm test && rm -rf ~` is not let through by an allow rule `npm test*`: a deny glob refuses
 * the command when it matches the whole command or any part; with allow globs, every part must
 * match one. A refusal names the rule (`agent.commands.deny "rm *"`).
 */
export function checkCommand(policy: CommandPolicy, command: string): CommandCheck {
  const whole = command.trim();
  if (!policy.enabled) {
    return { allowed: false, rule: "run --no-commands", message: "commands are turned off for this run" };
  }
  const parts = commandParts(whole);
  for (const glob of policy.deny) {
    const match = matcher(glob);
    const hit = match(whole) ? whole : parts.find((part) => match(part));
    if (hit !== undefined) {
      const rule = `agent.commands.deny ${JSON.stringify(glob)}`;
      return { allowed: false, rule, message: `\`${hit}\` is denied by ${rule}` };
    }
  }
  if (policy.allow.length === 0) return { allowed: true };
  const matchers = policy.allow.map(matcher);
  const outside = parts.find((part) => !matchers.some((match) => match(part)));
  if (outside === undefined) return { allowed: true };
  const rule = `agent.commands.allow ${JSON.stringify(policy.allow)}`;
  return { allowed: false, rule, message: `\`${outside}\` matches none of ${rule}` };
}

/** The simple commands of a shell command line, each as its words joined by one space. */
export function commandParts(command: string): string[] {
  const parts: string[] = [];
  let words: string[] = [];
  const end = () => {
    if (words.length > 0) parts.push(words.join(" "));
    words = [];
  };
  // Variables stay as written: `$HOME` is a word, not what it expands to.
  for (const token of parse(command, (name) => `$${name}`)) {
    if (typeof token === "string") {
      // A backquoted command substitution is a command of its own.
      const quoted = /`([^`]*)`/.exec(token);
      if (quoted?.[1]?.trim()) parts.push(...commandParts(quoted[1]));
      if (token !== "$") words.push(token);
    } else if ("comment" in token) {
      end();
    } else if (token.op === "glob") {
      words.push(token.pattern);
    } else if (isRedirect(token.op)) {
      words.push(token.op);
    } else {
      end();
    }
  }
  end();
  return parts.length > 0 ? parts : [command.trim()];
}

const REDIRECTS = new Set([">", ">>", "<", ">&", "<&", "<<", "<<<", "&>", "&>>", "<>", ">|"]);

function isRedirect(op: string): boolean {
  return REDIRECTS.has(op);
}

function matcher(glob: string): (text: string) => boolean {
  // `bash` makes `*` match across slashes, which a command's arguments are full of.
  return picomatch(glob, { bash: true, dot: true, nocase: false });
}
