import type { CpuProfile } from "./profile-inspector.js";

/** Where a bundle's lines come from: esbuild's `// path/of/module.ts` comment before each module. */
export interface BundleMap {
  /** Start lines (0-based, ascending) of each module's code, with its source path. */
  starts: { line: number; file: string }[];
}

const MODULE_COMMENT = /^\/\/ (\S+\.(?:[cm]?[jt]sx?|json))$/;

/** Reads the module boundaries from a non-minified esbuild bundle's text. */
export function bundleMap(bundleText: string): BundleMap {
  const starts: BundleMap["starts"] = [];
  bundleText.split("\n").forEach((text, line) => {
    const match = MODULE_COMMENT.exec(text);
    if (match?.[1]) starts.push({ line, file: shortPath(match[1]) });
  });
  return { starts };
}

/** `../../node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/core/parse.js` -> `zod/v4/core/parse.js`. */
function shortPath(file: string): string {
  const inModules = file.lastIndexOf("node_modules/");
  if (inModules >= 0) return file.slice(inModules + "node_modules/".length);
  return file.replace(/^(\.\.\/)+/, "");
}

/** The source file of a bundle line (0-based), by the last module comment at or before it. */
export function sourceFile(map: BundleMap, line: number): string | undefined {
  let low = 0;
  let high = map.starts.length - 1;
  let found: string | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = map.starts[mid];
    if (start === undefined) break;
    if (start.line <= line) {
      found = start.file;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** One row of a summary: a function (or a file) and its samples. */
export interface ProfileRow {
  name: string;
  /** Samples in which it was the innermost frame. */
  self: number;
  /** Samples in which it was on the stack (once per sample, however deep it recursed). */
  total: number;
}

/** What a set of isolates' profiles say, counted in samples (never in summed time deltas). */
export interface ProfileSummary {
  /** Samples of every isolate that were not `(idle)`: the denominator of every share. */
  busy: number;
  idle: number;
  byTarget: { name: string; busy: number }[];
  functions: ProfileRow[];
  files: ProfileRow[];
}

const IDLE = "(idle)";

/**
 * Counts samples per function (`name file:line` of its source) and per source file, over the
 * profiles of several isolates. Samples are counted, not time deltas summed: the isolates share
 * workerd's one thread, and a sample's delta includes time other isolates ran.
 */
export function summarize(
  profiles: { target: string; profile: CpuProfile; map: BundleMap | undefined }[],
): ProfileSummary {
  const functions = new Map<string, ProfileRow>();
  const files = new Map<string, ProfileRow>();
  const byTarget: ProfileSummary["byTarget"] = [];
  let busy = 0;
  let idle = 0;
  for (const { target, profile, map } of profiles) {
    const parent = new Map<number, number>();
    const keys = new Map<number, { fn: string; file: string }>();
    for (const node of profile.nodes) {
      for (const child of node.children ?? []) parent.set(child, node.id);
      const { functionName, url, lineNumber } = node.callFrame;
      const file = frameFile(url, lineNumber, map);
      const name = functionName || (url ? "(anonymous)" : "(native)");
      const fn = name.startsWith("(") && !url ? name : `${name} ${file}:${lineNumber + 1}`;
      keys.set(node.id, { fn, file });
    }
    let targetBusy = 0;
    for (const leaf of profile.samples) {
      const leafKey = keys.get(leaf);
      if (!leafKey) continue;
      if (leafKey.fn === IDLE) {
        idle++;
        continue;
      }
      targetBusy++;
      row(functions, leafKey.fn).self++;
      row(files, leafKey.file).self++;
      const seenFns = new Set<string>();
      const seenFiles = new Set<string>();
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const key = keys.get(id);
        if (!key || key.fn === "(root)") continue;
        if (!seenFns.has(key.fn)) {
          seenFns.add(key.fn);
          row(functions, key.fn).total++;
        }
        if (!seenFiles.has(key.file)) {
          seenFiles.add(key.file);
          row(files, key.file).total++;
        }
      }
    }
    busy += targetBusy;
    byTarget.push({ name: target, busy: targetBusy });
  }
  const sorted = (rows: Map<string, ProfileRow>) => [...rows.values()].sort((a, b) => b.self - a.self);
  return { busy, idle, byTarget, functions: sorted(functions), files: sorted(files) };
}

/**
 * workerd's own scripts in an isolate (`cloudflare-internal:d1-api`, `node:internal/...`) have
 * a scheme in their url; the Worker's bundle does not. Only the bundle's frames go through its
 * module comments: the lines of workerd's scripts are not the bundle's.
 */
const INTERNAL_SCRIPT = /^[\w-]+:/;

function frameFile(url: string, line: number, map: BundleMap | undefined): string {
  if (!url) return "(native)";
  const fromBundle = map && !INTERNAL_SCRIPT.test(url) ? sourceFile(map, line) : undefined;
  return fromBundle ?? url;
}

function row(rows: Map<string, ProfileRow>, name: string): ProfileRow {
  let found = rows.get(name);
  if (!found) {
    found = { name, self: 0, total: 0 };
    rows.set(name, found);
  }
  return found;
}

/** The summary as text: isolates, then the top functions and files by self samples. */
export function formatSummary(summary: ProfileSummary, top: number): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, summary.busy)).toFixed(1).padStart(5)}%`;
  const lines = [`busy samples: ${summary.busy} (idle: ${summary.idle})`, "", "isolates (share of busy samples):"];
  for (const t of [...summary.byTarget].sort((a, b) => b.busy - a.busy)) lines.push(`  ${pct(t.busy)}  ${t.name}`);
  const table = (title: string, rows: ProfileRow[]) => {
    lines.push("", `${title} (self / total share of busy samples):`);
    for (const r of rows.slice(0, top)) lines.push(`  ${pct(r.self)} ${pct(r.total)}  ${r.name}`);
  };
  table(`top ${top} functions by self`, summary.functions);
  table(`top ${top} files by self`, summary.files);
  table(
    `top ${top} functions by total`,
    [...summary.functions].sort((a, b) => b.total - a.total),
  );
  return lines.join("\n");
}
