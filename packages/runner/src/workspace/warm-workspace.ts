import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BernsteinError, canonicalJson, type Manifest, setupInputsOf, toBernsteinError } from "@bernstein/core";
import { type BlobCache, sha256Of } from "../blob-cache.js";
import { checkManifestPaths } from "../write-tree.js";
import { hasCommit, seedFromCommit } from "./git-seed.js";
import { type FileRecord, type SyncStats, syncTree } from "./sync-tree.js";
import { type HeldWorkspace, holdWorkspace } from "./workspace-lock.js";

export interface OpenWorkspaceOptions {
  /** Where workspaces live: `<root>/<key>/<index>/{lock,state.json,tree}`. */
  root: string;
  /** The repository (a job's `workspace`): workspaces of different repositories never mix. */
  key: string;
  /** The runner slot: the index tried first (another process may hold it; the next is taken). */
  slot: number;
}

export interface SyncOptions {
  manifest: Manifest;
  /** The manifest's hash: checked, then recorded as the tree the workspace holds. */
  manifestSha: string;
  cache: BlobCache;
  /** A new workspace starts from `git archive` of this commit when `repoRoot` has it. */
  baseCommit?: string | null;
  repoRoot?: string | undefined;
  signal?: AbortSignal;
}

export interface SyncResult {
  stats: SyncStats;
  /** `warm`: synced from the last tree; `git`: a new workspace seeded from the base commit; `blobs`: a new one from blobs. */
  source: "warm" | "git" | "blobs";
  /** Why a new workspace was not seeded from git although a repository was given. */
  gitSkipped?: string;
  durationMs: number;
}

/**
 * A runner's workspace for one repository, kept between jobs: the tree is synced to each job's
 * manifest (only what differs is written), untracked directories such as node_modules, .venv or
 * target stay, and `verify.setup` runs again only when its fingerprint (commands and input
 * files) changed. Held by one process at a time (a lock file); `release()` frees it for reuse.
 */
export interface WarmWorkspace {
  /** The tree commands run in. */
  readonly dir: string;
  readonly key: string;
  readonly index: number;
  /** Set when the saved state could not be read: the workspace starts over (files are compared by content). */
  readonly resetReason: string | undefined;
  sync(options: SyncOptions): Promise<SyncResult>;
  /** True when the last successful setup had this fingerprint (so it need not run). */
  setupIsCurrent(fingerprint: string): boolean;
  /** Records the setup's outcome: a fingerprint after success, null after a failure (it runs next time). */
  recordSetup(fingerprint: string | null): Promise<void>;
  release(): Promise<void>;
}

interface SavedState {
  version: 1;
  key: string;
  manifest: string | null;
  setup: string | null;
  files: Record<string, FileRecord>;
}

const STATE_VERSION = 1;

/** Opens (and holds) the workspace of `key` for `slot`, creating it when new. */
export async function openWorkspace(options: OpenWorkspaceOptions): Promise<WarmWorkspace> {
  const held = await holdWorkspace(options.root, workspaceDirName(options.key), options.slot);
  try {
    const loaded = await loadState(held, options.key);
    return createWorkspace(held, options.key, loaded.state, loaded.resetReason);
  } catch (error) {
    await held.release();
    throw error;
  }
}

/**
 * The fingerprint of a setup: its commands and the content of its input files in the tree
 * (`verify.setupInputs`, default the usual lockfiles and package manifests).
 */
export function setupFingerprint(
  commands: readonly string[],
  manifest: Manifest,
  inputs: readonly string[] | null,
): string {
  const json = canonicalJson({ commands: [...commands], inputs: setupInputsOf(manifest, inputs) });
  return createHash("sha256").update(json).digest("hex");
}

/** A folder name for a workspace key: readable, and unique by its hash. */
export function workspaceDirName(key: string): string {
  const slug = key.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 40);
  return `${slug}-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

function createWorkspace(
  held: HeldWorkspace,
  key: string,
  initial: SavedState,
  resetReason: string | undefined,
): WarmWorkspace {
  let state = initial;
  const dir = join(held.dir, "tree");
  const save = async (next: SavedState) => {
    const path = join(held.dir, "state.json");
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, JSON.stringify(next));
    await rename(tmp, path);
    state = next;
  };
  return {
    dir,
    key,
    index: held.index,
    resetReason,
    async sync(options) {
      const started = Date.now();
      const actual = sha256Of(canonicalJson(options.manifest));
      if (actual !== options.manifestSha) {
        throw new BernsteinError("hash_mismatch", `manifest ${options.manifestSha} arrived hashing to ${actual}`, {
          details: { expected: options.manifestSha, actual },
        });
      }
      // Refused before anything is recorded: a refused tree's paths (`../x`, `a` and `a/b`) must
      // never become paths the next sync removes.
      checkManifestPaths(options.manifest);
      let source: SyncResult["source"] = "warm";
      let gitSkipped: string | undefined;
      if (state.manifest === null && Object.keys(state.files).length === 0) {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
        source = "blobs";
        const { repoRoot, baseCommit } = options;
        if (repoRoot !== undefined && baseCommit) {
          if (await hasCommit(repoRoot, baseCommit)) {
            try {
              await seedFromCommit(repoRoot, baseCommit, dir, options.signal);
              source = "git";
            } catch (error) {
              gitSkipped = toBernsteinError(error).message;
              await rm(dir, { recursive: true, force: true });
              await mkdir(dir, { recursive: true });
            }
          } else {
            gitSkipped = `the base commit ${baseCommit.slice(0, 12)} is not in ${repoRoot}`;
          }
        }
      } else {
        await mkdir(dir, { recursive: true });
      }
      // Before the sync changes a file, every path of both trees counts as written by it (with
      // a record that never matches): a crash midway leaves nothing the next sync would not
      // check. A tree that is already right (the usual case between an agent's commands) is
      // only checked: no state is written.
      const previous = state.files;
      const recordPending = () => {
        const pending: Record<string, FileRecord> = { ...previous };
        for (const [path, entry] of Object.entries(options.manifest)) {
          if (!(path in pending)) pending[path] = { sha256: "", mode: entry.mode, ino: "", size: "", ctimeNs: "" };
        }
        return save({ ...state, manifest: null, files: pending });
      };
      const { stats, records } = await syncTree({
        dir,
        manifest: options.manifest,
        previous,
        cache: options.cache,
        beforeChange: recordPending,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (state.manifest !== options.manifestSha || !sameRecords(previous, records)) {
        await save({ ...state, manifest: options.manifestSha, files: records });
      }
      return { stats, source, ...(gitSkipped === undefined ? {} : { gitSkipped }), durationMs: Date.now() - started };
    },
    setupIsCurrent(fingerprint) {
      return state.setup === fingerprint;
    },
    async recordSetup(fingerprint) {
      await save({ ...state, setup: fingerprint });
    },
    release: () => held.release(),
  };
}

function sameRecords(a: Readonly<Record<string, FileRecord>>, b: Readonly<Record<string, FileRecord>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((path) => {
    const x = a[path];
    const y = b[path];
    return (
      x !== undefined &&
      y !== undefined &&
      x.sha256 === y.sha256 &&
      x.mode === y.mode &&
      x.ino === y.ino &&
      x.size === y.size &&
      x.ctimeNs === y.ctimeNs
    );
  });
}

async function loadState(held: HeldWorkspace, key: string): Promise<{ state: SavedState; resetReason?: string }> {
  const fresh: SavedState = { version: STATE_VERSION, key, manifest: null, setup: null, files: {} };
  let text: string;
  try {
    text = await readFile(join(held.dir, "state.json"), "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return { state: fresh };
    throw error;
  }
  let parsed: Partial<SavedState>;
  try {
    parsed = JSON.parse(text) as Partial<SavedState>;
  } catch (error) {
    return { state: fresh, resetReason: `its state file is not JSON (${(error as Error).message})` };
  }
  if (parsed.version !== STATE_VERSION || parsed.key !== key || typeof parsed.files !== "object" || !parsed.files) {
    return { state: fresh, resetReason: "its state file is from another version or repository" };
  }
  return {
    state: {
      version: STATE_VERSION,
      key,
      manifest: typeof parsed.manifest === "string" ? parsed.manifest : null,
      setup: typeof parsed.setup === "string" ? parsed.setup : null,
      files: parsed.files,
    },
  };
}
