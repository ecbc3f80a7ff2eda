import { type ArtifactStore, applyOverlay, type Overlay } from "@bernstein/artifacts";
import { BernsteinError, type Manifest, normalizeRepoPath } from "@bernstein/core";

/** Caps that keep one tool result well inside a step result and a model's context. */
export const LIMITS = {
  readLines: 2_000,
  resultChars: 60_000,
  listEntries: 2_000,
  searchMatches: 200,
  searchFiles: 5_000,
  fileBytes: 2 * 1024 * 1024,
} as const;

/**
 * The attempt's view of the repository: the base snapshot plus the attempt's overlay. Writes
 * store blobs in R2 and change only the overlay; the base is never touched.
 */
export class Workspace {
  private tree: Manifest;

  constructor(
    private readonly store: ArtifactStore,
    base: Manifest,
    private overlayState: Overlay,
  ) {
    this.tree = applyOverlay(base, overlayState);
  }

  get overlay(): Overlay {
    return this.overlayState;
  }

  /** Files under `dir` ("" = all), sorted. */
  list(dir: string): string[] {
    const root = this.path(dir, true);
    return Object.keys(this.tree)
      .filter((p) => root === "" || p === root || p.startsWith(`${root}/`))
      .sort();
  }

  async read(path: string): Promise<string> {
    const p = this.path(path);
    const entry = this.tree[p];
    if (!entry) throw toolError(`file not found: ${p}`);
    const text = await this.store.getBlobText(entry.sha256);
    if (text === null) throw new BernsteinError("not_found", `blob of ${p} is missing from R2`);
    if (text.includes("\u0000")) throw toolError(`${p} is a binary file`);
    return text;
  }

  async write(path: string, content: string): Promise<void> {
    const p = this.path(path);
    const bytes = new TextEncoder().encode(content);
    if (bytes.length > LIMITS.fileBytes)
      throw toolError(`content is ${bytes.length} bytes; the limit is ${LIMITS.fileBytes}`);
    const blob = await this.store.putBlob(bytes);
    this.set(p, { sha256: blob.sha256, mode: this.tree[p]?.mode ?? "100644", size: blob.bytes });
  }

  delete(path: string): void {
    const p = this.path(path);
    if (!this.tree[p]) throw toolError(`file not found: ${p}`);
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

  private set(path: string, entry: Manifest[string] | null): void {
    this.overlayState = { ...this.overlayState, [path]: entry };
    if (entry) this.tree = { ...this.tree, [path]: entry };
    else {
      const { [path]: _removed, ...rest } = this.tree;
      this.tree = rest;
    }
  }
}

export function toolError(message: string): BernsteinError {
  return new BernsteinError("tool_error", message);
}
