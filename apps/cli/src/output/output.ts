import type { CliIo } from "../io.js";
import { type Colors, createColors, shouldColor } from "./colors.js";
import { type Spinner, startSpinner } from "./spinner.js";

/** How commands print: data on stdout, chatter on stderr, colours only where they belong. */
export interface Output {
  /** `--json` was given: stdout carries only the JSON document. */
  readonly json: boolean;
  /** Colours for stdout text. */
  readonly color: Colors;
  /** Colours for stderr text. */
  readonly errColor: Colors;
  /** A line of the command's primary output (stdout; stderr under --json). */
  print(line: string): void;
  /** A secondary message (stderr): progress of a wait, notes, hints. */
  note(line: string): void;
  /** The command's data as one JSON document on stdout. */
  data(value: unknown): void;
  /** A spinner on stderr (terminal only, after a second). */
  spinner(text: string): Spinner;
}

/** Creates the printer of one command invocation. */
export function createOutput(io: CliIo, options: { json?: boolean } = {}): Output {
  const json = options.json === true;
  const color = createColors(!json && shouldColor(io.stdout, io.env));
  const errColor = createColors(shouldColor(io.stderr, io.env));
  return {
    json,
    color,
    errColor,
    print(line) {
      (json ? io.stderr : io.stdout).write(`${line}\n`);
    },
    note(line) {
      io.stderr.write(`${line}\n`);
    },
    data(value) {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    spinner(text) {
      return startSpinner(io.stderr, text);
    },
  };
}
