import type { OutStream } from "../io.js";

export type Paint = (text: string) => string;

/** The few styles the CLI uses; each is the identity when colour is off. */
export interface Colors {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Paint = (text) => text;

/**
 * Colour is on only for a terminal, and never when NO_COLOR is set to anything non-empty
 * (no-color.org) or TERM is dumb; FORCE_COLOR (not "0") turns it on for pipes.
 */
export function shouldColor(stream: OutStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/** Builds the palette for one stream. */
export function createColors(enabled: boolean): Colors {
  if (!enabled) {
    return { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}
