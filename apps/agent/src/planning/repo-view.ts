import type { ArtifactStore } from "@bernstein/artifacts";
import type { Manifest } from "@bernstein/core";

/** Files worth showing the planner first, when they exist. */
const KEY_FILES = [
  "README.md",
  "README",
  "package.json",
  "pyproject.toml",
  "go.mod",
  "Cargo.toml",
  "pom.xml",
  "tsconfig.json",
  "Makefile",
  "bernstein.json",
];

const CHARS_PER_TOKEN = 4;

/**
 * A compact view of the repository within a token budget: the file tree (cut when long),
 * then the key files' contents, each cut to what is left of the budget.
 */
export async function repoView(store: ArtifactStore, manifest: Manifest, tokenBudget: number): Promise<string> {
  let budget = tokenBudget * CHARS_PER_TOKEN;
  const paths = Object.keys(manifest).sort();
  const treeBudget = Math.floor(budget / 3);
  let tree = "";
  let shown = 0;
  for (const p of paths) {
    if (tree.length + p.length + 1 > treeBudget) break;
    tree += `${p}\n`;
    shown++;
  }
  if (shown < paths.length) tree += `… and ${paths.length - shown} more files\n`;
  budget -= tree.length;
  const parts = [`Repository files (${paths.length}):\n${tree}`];
  for (const name of KEY_FILES) {
    const entry = manifest[name];
    if (!entry || budget <= 200) continue;
    const text = await store.getBlobText(entry.sha256);
    if (text === null || text.includes("\u0000")) continue;
    const cut = text.length > budget ? `${text.slice(0, budget)}\n… (cut)` : text;
    parts.push(`--- ${name} ---\n${cut}`);
    budget -= cut.length;
  }
  return parts.join("\n");
}
