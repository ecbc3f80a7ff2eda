import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { identityOf } from "@bernstein/processes";
import { type ModelSummary, modelSummaryOf } from "../run/model-check.js";
import { VERSION } from "../version.js";

/** `stack.json`: how to reach a running stack. Nothing else (no model keys) is written. */
export interface StackInfo {
  url: string;
  pid: number;
  /** The stack process's start time (clock ticks since boot, `/proc`): with the pid, who it is. */
  startTime?: number | null | undefined;
  token: string;
  port: number;
  stateDir: string;
  startedAt: string;
  version: string;
  /** The models the stack was started with (names only): `run` checks them before uploading. */
  models?: ModelSummary | undefined;
}

/** Reads stack.json; undefined when there is none. A damaged file is an error naming it. */
export async function readStackFile(path: string): Promise<StackInfo | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw damaged(path, error);
  }
  if (!isStackInfo(value)) throw damaged(path);
  return value;
}

/** The description of a stack this process runs, as stack.json holds it. */
export function stackInfoOf(
  stack: { url: string; token: string; port: number },
  stateDir: string,
  env: Readonly<Record<string, string | undefined>>,
): StackInfo {
  return {
    url: stack.url,
    pid: process.pid,
    startTime: identityOf(process.pid)?.startTime ?? null,
    token: stack.token,
    port: stack.port,
    stateDir,
    startedAt: new Date().toISOString(),
    version: VERSION,
    models: modelSummaryOf(env),
  };
}

/** Writes stack.json atomically with mode 0600 (it holds the API token). */
export async function writeStackFile(path: string, info: StackInfo): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  const { url, pid, startTime, token, port, stateDir, startedAt, version, models } = info;
  const text = JSON.stringify({ url, pid, startTime, token, port, stateDir, startedAt, version, models }, null, 2);
  await writeFile(tmp, `${text}\n`, {
    mode: 0o600,
  });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** Removes stack.json, but only if it still names `pid` (a newer stack may have replaced it). */
export async function removeStackFile(path: string, pid?: number): Promise<void> {
  if (pid !== undefined) {
    const current = await readStackFile(path).catch((error: unknown) => {
      // A damaged file names no stack: it goes like a stale one.
      if (error instanceof BernsteinError && error.code === "stack_failed") return undefined;
      throw error;
    });
    if (current && current.pid !== pid) return;
  }
  await rm(path, { force: true });
}

function isStackInfo(value: unknown): value is StackInfo {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.url === "string" &&
    typeof v.pid === "number" &&
    (v.startTime === undefined || v.startTime === null || typeof v.startTime === "number") &&
    typeof v.token === "string" &&
    typeof v.port === "number" &&
    typeof v.stateDir === "string" &&
    typeof v.startedAt === "string" &&
    typeof v.version === "string"
  );
}

function damaged(path: string, cause?: unknown): BernsteinError {
  return new BernsteinError("stack_failed", `${path} is damaged (not a stack description)`, {
    cause,
    details: { fix: `Delete ${path} and run the command again (run \`bernstein dev stop\` first if a stack is up).` },
  });
}

/** True for ENOENT. */
export function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
