import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { identityOf, isRunning, type ProcessIdentity } from "@bernstein/processes";

/** Workspaces tried before giving up (slots of every runner sharing the root). */
const MAX_INDEX = 64;

/** A workspace directory held by this process. */
export interface HeldWorkspace {
  /** `<root>/<key>/<index>`. */
  dir: string;
  index: number;
  release(): Promise<void>;
}

/**
 * Takes the first free workspace of `key` from index `preferred` on: `<root>/<key>/<n>`, held
 * by a `lock` file naming this process (pid and start time). A lock whose process is gone is
 * taken over, so runners sharing a root (two `bernstein runner`, or one next to `bernstein
 * dev`) never share a workspace, and a killed runner's workspaces are reused.
 */
export async function holdWorkspace(root: string, key: string, preferred: number): Promise<HeldWorkspace> {
  for (let k = 0; k < MAX_INDEX; k++) {
    const index = (preferred + k) % MAX_INDEX;
    const dir = join(root, key, String(index));
    await mkdir(dir, { recursive: true });
    const lock = join(dir, "lock");
    if (await tryLock(lock)) {
      return { dir, index, release: () => rm(lock, { force: true }) };
    }
  }
  throw new BernsteinError(
    "conflict",
    `all ${MAX_INDEX} workspaces of ${key} in ${root} are held by running processes`,
  );
}

/**
 * Takes the lock file `lock` for this process: created exclusively, or taken over when the
 * process it names is gone. False when a living process (this one included) holds it.
 */
export async function tryLock(lock: string): Promise<boolean> {
  const me = identityOf(process.pid) ?? { pid: process.pid, startTime: null };
  // Written whole under another name, then linked into place (which fails when a lock is
  // there): a lock never exists without its owner in it. An empty one names nobody, so the
  // next start's sweep would skip it: a runner killed while taking over a dead runner's
  // workspace left that workspace, leftovers and all, to be reused warm.
  const tmp = `${lock}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, `${me.pid} ${me.startTime ?? "-"}\n`);
  try {
    for (let tries = 0; tries < 2; tries++) {
      try {
        await link(tmp, lock);
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code !== "EEXIST") throw error;
      }
      const owner = await lockOwner(lock);
      if (owner && isRunning(owner)) return false; // this process (another slot) or another living one
      await rm(lock, { force: true }); // its process is gone: take the workspace over
    }
    return false;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * The process a workspace lock names (`pid startTime`; a lock of an older version has the pid
 * alone), or undefined when the file is gone or names none.
 */
export async function lockOwner(lock: string): Promise<ProcessIdentity | undefined> {
  const text = await readFile(lock, "utf8").catch((error: unknown) => {
    if ((error as { code?: unknown }).code === "ENOENT") return "";
    throw error;
  });
  const [pidText, startText] = text.trim().split(" ");
  const pid = Number.parseInt(pidText ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const startTime = startText === undefined || startText === "-" ? Number.NaN : Number(startText);
  return { pid, startTime: Number.isFinite(startTime) ? startTime : null };
}
