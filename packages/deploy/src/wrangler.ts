import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { withPipe } from "./named-pipe.js";
import { wranglerFailure } from "./wrangler-errors.js";

/** How wrangler runs: its environment (token, account, API base) and where. */
export interface WranglerContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The account to act on (`CLOUDFLARE_ACCOUNT_ID`), once known. */
  accountId?: string | undefined;
  /** Receives every line wrangler prints (for `--debug`); secrets are never on its argv or stdin echo. */
  onOutput?: ((line: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface WranglerCall {
  args: readonly string[];
  /** Written to wrangler's stdin, then closed (how secret values reach it). */
  stdin?: string;
  /**
   * Handed to wrangler as a file it reads once: a named pipe in a private temp dir, so the
   * value goes from memory to memory and never onto the disk, an argument or a log. In
   * `args`, `{file}` stands for its path.
   */
  file?: string;
  /** What the call does, for the error message ("create D1 database x"). */
  doing: string;
}

/** The pinned wrangler (4.86.0, the last that runs on Node 20), from this package's dependencies. */
export function wranglerBin(): string {
  const pkg = createRequire(import.meta.url).resolve("wrangler/package.json");
  return join(dirname(pkg), "bin", "wrangler.js");
}

/** Environment variables wrangler gets: the caller's, minus what would make it chatty or interactive. */
function wranglerEnv(context: WranglerContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.env)) if (value !== undefined) env[name] = value;
  env.WRANGLER_SEND_METRICS = "false";
  env.WRANGLER_HIDE_BANNER = "true";
  env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  env.NO_COLOR = "1";
  env.FORCE_COLOR = "0";
  if (context.accountId) env.CLOUDFLARE_ACCOUNT_ID = context.accountId;
  return env;
}

/** Runs one wrangler command; resolves with its stdout, or throws a BernsteinError naming what failed. */
export async function runWrangler(context: WranglerContext, call: WranglerCall): Promise<string> {
  if (call.file === undefined) return run(context, call, call.args);
  const { file } = call;
  return withPipe(async (path, feed) => {
    const [output] = await Promise.all([
      run(
        context,
        call,
        call.args.map((a) => a.replace("{file}", path)),
      ),
      feed(file),
    ]);
    return output;
  });
}

async function run(context: WranglerContext, call: WranglerCall, args: readonly string[]): Promise<string> {
  context.onOutput?.(`$ wrangler ${args.join(" ")}`);
  const child = spawn(process.execPath, [wranglerBin(), ...args], {
    cwd: context.cwd,
    env: wranglerEnv(context),
    stdio: ["pipe", "pipe", "pipe"],
    signal: context.signal,
  });
  let stdout = "";
  let stderr = "";
  const relay = (chunk: string) => {
    for (const line of chunk.split("\n")) if (line.trim() !== "") context.onOutput?.(line);
  };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    relay(chunk);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    relay(chunk);
  });
  child.stdin.end(call.stdin ?? "");
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exit) => resolve(exit ?? 1));
  }).catch((error: unknown) => {
    if (context.signal?.aborted) throw context.signal.reason;
    throw new BernsteinError("cloud_api", `could not run wrangler to ${call.doing}: ${(error as Error).message}`, {
      cause: error,
    });
  });
  if (code !== 0) throw wranglerFailure(call.doing, `${stderr}\n${stdout}`);
  return stdout;
}

/** Runs a wrangler command that prints JSON (`--json`) and parses it. */
export async function runWranglerJson<T>(context: WranglerContext, call: WranglerCall): Promise<T> {
  const stdout = await runWrangler(context, call);
  const start = stdout.search(/[[{]/);
  try {
    return JSON.parse(start === -1 ? stdout : stdout.slice(start)) as T;
  } catch (error) {
    throw new BernsteinError("cloud_api", `wrangler printed no JSON when asked to ${call.doing}`, { cause: error });
  }
}
