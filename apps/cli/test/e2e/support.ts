import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
export const APP = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(APP, "bin", "bernstein.js");

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `bernstein` as a child process; never throws for a non-zero exit. */
export async function runBin(
  args: string[],
  options: { cwd: string; env: Record<string, string> /** Written to stdin, which is then closed. */; input?: string },
): Promise<Result> {
  try {
    const running = exec(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (options.input !== undefined) running.child.stdin?.end(options.input);
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

/** This process's environment without model keys or Bernstein settings, plus `extra`. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(ANTHROPIC_|OPENAI_|BERNSTEIN_)/.test(name)) continue;
    base[name] = value;
  }
  return { ...base, NO_COLOR: "1", ...extra };
}
