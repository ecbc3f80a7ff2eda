import picomatch from "picomatch/posix";
import type { Manifest } from "../schemas/manifest.js";

/**
 * Files whose change makes `verify.setup` run again, when `verify.setupInputs` is not set: the
 * lockfiles and manifests of npm, pnpm, yarn, bun, pip/uv/poetry, cargo and go, and the usual
 * toolchain pins. (`**` also matches at the root.)
 */
export const DEFAULT_SETUP_INPUTS: readonly string[] = [
  "**/package.json",
  "**/package-lock.json",
  "**/npm-shrinkwrap.json",
  "**/pnpm-lock.yaml",
  "**/pnpm-workspace.yaml",
  "**/yarn.lock",
  "**/.yarnrc.yml",
  "**/bun.lock",
  "**/bun.lockb",
  "**/.npmrc",
  "**/requirements*.txt",
  "**/pyproject.toml",
  "**/poetry.lock",
  "**/uv.lock",
  "**/Pipfile",
  "**/Pipfile.lock",
  "**/setup.py",
  "**/setup.cfg",
  "**/Cargo.toml",
  "**/Cargo.lock",
  "**/go.mod",
  "**/go.sum",
  "**/go.work",
  "rust-toolchain",
  "rust-toolchain.toml",
  ".nvmrc",
  ".node-version",
  ".python-version",
  ".tool-versions",
];

/**
 * The setup's inputs in a tree: path -> content hash of every manifest entry matching one of
 * `globs` (default `DEFAULT_SETUP_INPUTS`), sorted by path. Setup runs again only when these,
 * or the setup commands, differ from the last successful setup in the same workspace.
 */
export function setupInputsOf(manifest: Manifest, globs: readonly string[] | null = null): Record<string, string> {
  const match = picomatch([...(globs ?? DEFAULT_SETUP_INPUTS)], { dot: true });
  const inputs: Record<string, string> = {};
  for (const path of Object.keys(manifest).sort()) {
    const entry = manifest[path];
    if (entry && match(path)) inputs[path] = entry.sha256;
  }
  return inputs;
}
