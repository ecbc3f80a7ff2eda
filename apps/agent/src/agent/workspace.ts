import type { ArtifactStore, Overlay } from "@bernstein/artifacts";
import { BernsteinError, type Manifest, type ManifestEntry, normalizeRepoPath } from "@bernstein/core";

/** Caps that keep one tool result well inside a step result and a model's context. */
export const LIMITS = {
  readLines: 2_000,
  resultChars: 60_000,
  listEntries: 2_000,
  searchMatches: 200,
  searchFiles: 5_000,
  /** Text one `search` reads before it stops and says so (matching is linear, so this bounds its time). */
  searchBytes: 8 * 1024 * 1024,
  /** Files larger than this are not searched (one file is matched in one piece). */
  searchFileBytes: 4 * 1024 * 1024,
  /** Text matched between two yields to the event loop, so other requests are served meanwhile. */
  searchSliceBytes: 256 * 1024,
  /** Wall time of one `search` (it advances between file reads) before it stops and says so. */
  searchMs: 5_000,
  fileBytes: 2 * 1024 * 1024,
} as const;

/**
 * The attempt's view of the repository: the base snapshot plus the attempt's overlay. Writes
 * store blobs in R2 and change only the overlay; the base is never touched.
 */
export class Workspace {
  /**
   * The current tree, this workspace's own copy, changed in place by a write or delete (a Map:
   * one entry per change, not a copy of a tree that grows with the run; and a path such as
   * `constructor` or `__proto__` is a path, not an object's property).
   */
  private readonly tree: Map<string, ManifestEntry>;

  constructor(
    private readonly store: ArtifactStore,
    base: Manifest,
    private overlayState: Overlay,
  ) {
    this.tree = new Map(Object.entries(base));
    for (const [path, entry] of Object.entries(overlayState)) {
      if (entry) this.tree.set(path, entry);
      else this.tree.delete(path);
    }
  }

  get overlay(): Overlay {
    return this.overlayState;
  }

  /** Files under `dir` ("" = all), sorted. */
  list(dir: string): string[] {
    const root = this.path(dir, true);
    return [...this.tree.keys()].filter((p) => root === "" || p === root || p.startsWith(`${root}/`)).sort();
  }

  /** True when `path` is a symlink (search skips them: a link's text is its target). */
  isSymlink(path: string): boolean {
    return this.tree.get(path)?.mode === "120000";
  }

  /** The size of a file of the tree, in bytes (0 when there is none). */
  size(path: string): number {
    return this.tree.get(path)?.size ?? 0;
  }

  async read(path: string): Promise<string> {
    const p = this.path(path);
    const entry = this.tree.get(p);
    if (!entry) throw toolError(`file not found: ${p}${this.throughLink(p)}`);
    if (entry.mode === "120000") throw toolError(`${p} is a symbolic link; read the file it points to`);
    const text = await this.store.getBlobText(entry.sha256);
    if (text === null) throw new BernsteinError("not_found", `blob of ${p} is missing from R2`);
    if (text.includes("\u0000")) throw toolError(`${p} is a binary file`);
    return text;
  }

  /**
   * Writes a regular file. Writing onto a symlink (its content would become the link's target)
   * or through one (a folder that is a link), under a file, or over a folder is a tool error.
   */
  async write(path: string, content: string): Promise<void> {
    const p = this.path(path);
    if (this.tree.get(p)?.mode === "120000") throw toolError(`${p} is a symbolic link; write the file it points to`);
    const blocking = this.fileAbove(p);
    if (blocking) {
      const what = this.tree.get(blocking)?.mode === "120000" ? "a symbolic link" : "a file";
      throw toolError(`cannot write ${p}: ${blocking} is ${what}, not a folder`);
    }
    if (this.isFolder(p)) throw toolError(`${p} is a folder`);
    const bytes = new TextEncoder().encode(content);
    if (bytes.length > LIMITS.fileBytes)
      throw toolError(`content is ${bytes.length} bytes; the limit is ${LIMITS.fileBytes}`);
    const blob = await this.store.putBlob(bytes);
    this.set(p, { sha256: blob.sha256, mode: this.tree.get(p)?.mode ?? "100644", size: blob.bytes });
  }

  delete(path: string): void {
    const p = this.path(path);
    if (!this.tree.has(p)) throw toolError(`file not found: ${p}`);
    this.set(p, null);
  }

  /** Normalises a model-given path; escaping the repository is a tool error. */
  path(input: string, allowRoot = false): string {
    let p: string;
    try {
      p = normalizeRepoPath(input);
    } catch (error) {
      throw toolError(error instanceof Error ? error.message : String(error));
    }
    if (p === "" && !allowRoot) throw toolError("a file path is required");
    return p;
  }

  /** The shortest parent of `path` that is a file or symlink in the tree, if any. */
  private fileAbove(path: string): string | undefined {
    for (let at = path.indexOf("/"); at > 0; at = path.indexOf("/", at + 1)) {
      const parent = path.slice(0, at);
      if (this.tree.has(parent)) return parent;
    }
    return undefined;
  }

  private throughLink(path: string): string {
    const parent = this.fileAbove(path);
    return parent && this.tree.get(parent)?.mode === "120000" ? ` (${parent} is a symbolic link, not a folder)` : "";
  }

  /** True when some file of the tree is under `path`. */
  private isFolder(path: string): boolean {
    const prefix = `${path}/`;
    for (const q of this.tree.keys()) if (q.startsWith(prefix)) return true;
    return false;
  }

  private set(path: string, entry: ManifestEntry | null): void {
    // A new overlay object: the one handed out by `overlay` (a step's result) stays as it was.
    this.overlayState = { ...this.overlayState, [path]: entry };
    if (entry) this.tree.set(path, entry);
    else this.tree.delete(path);
  }
}

export function toolError(message: string): BernsteinError {
  return new BernsteinError("tool_error", message);
}
