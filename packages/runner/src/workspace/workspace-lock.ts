import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";

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
 * by a `lock` file naming this process. A lock whose process is gone is taken over, so
 * runners sharing a root (two `bernstein runner`, or one next to `bernstein dev`) never share
 * a workspace, and a killed runner's workspaces are reused.
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

async function tryLock(lock: string): Promise<boolean> {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(await readFile(lock, "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || isAlive(owner))) return false;
    await rm(lock, { force: true }); // its process is gone: take the workspace over
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}
