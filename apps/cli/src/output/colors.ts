import picocolors from "picocolors";
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

/** Builds the palette for one stream (picocolors' codes, nested styles handled). */
export function createColors(enabled: boolean): Colors {
  const pc = picocolors.createColors(enabled);
  return { enabled, bold: pc.bold, dim: pc.dim, red: pc.red, green: pc.green, yellow: pc.yellow, cyan: pc.cyan };
}
