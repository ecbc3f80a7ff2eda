import { stat } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";

/** Directories a report glob never descends into (installed dependencies, VCS data). */
const IGNORED = ["**/node_modules/**", "**/.git/**", "**/.venv/**"];

/** A report file and when it was last written. */
export interface ReportFile {
  path: string;
  mtimeMs: number;
  size: number;
}

/** The files under `dir` matching the report globs (repo-relative, sorted). */
export async function findReports(dir: string, globs: readonly string[]): Promise<ReportFile[]> {
  if (globs.length === 0) return [];
  const paths = await glob([...globs], { cwd: dir, onlyFiles: true, ignore: IGNORED, expandDirectories: false });
  const found: ReportFile[] = [];
  for (const path of paths.sort()) {
    const stats = await stat(join(dir, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null; // removed between the glob and the stat
      throw error;
    });
    if (stats?.isFile()) found.push({ path, mtimeMs: stats.mtimeMs, size: stats.size });
  }
  return found;
}

/** The reports in `after` that are new or rewritten since `before`. */
export function writtenSince(before: readonly ReportFile[], after: readonly ReportFile[]): ReportFile[] {
  const old = new Map(before.map((r) => [r.path, r]));
  return after.filter((r) => {
    const was = old.get(r.path);
    return !was || was.mtimeMs !== r.mtimeMs || was.size !== r.size;
  });
}
