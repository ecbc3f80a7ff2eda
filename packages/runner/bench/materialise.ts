// Times a warm workspace's sync against a real local stack (blobs over HTTP from Miniflare's
// R2): a new workspace of the calculator example and of a 2,000-file tree (cold and warm blob
// cache), the same workspace synced again (unchanged, and with 20 files changed), and a new
// workspace seeded from `git archive` of a commit that differs in 20 files.
//
//   node --import tsx bench/materialise.ts          (from packages/runner; prints a table)

import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, createRunnerClient, registerRunner } from "@bernstein/client";
import type { Manifest } from "@bernstein/core";
import { startLocalStack } from "@bernstein/local-stack";
import { createBlobCache, openWorkspace, sha256Of } from "../src/index.js";
import { tempDir } from "../src/test-support/trees.js";
import { calculatorFiles } from "../test/support/stack.js";

const ROUNDS = 3;

const stack = await startLocalStack({
  bundles: {
    orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
    agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
  },
  token: "bench-token",
  auditKey: "c".repeat(64),
  env: {},
});
const scratch = await tempDir("runner-bench-");
try {
  const api = createClient({ baseUrl: stack.url, token: stack.token });
  const { token } = await registerRunner({ baseUrl: stack.url, token: stack.token }, { name: "bench", labels: [] });
  const client = createRunnerClient({ baseUrl: stack.url, token });

  const upload = async (files: Record<string, string>): Promise<string> => {
    const manifest: Manifest = {};
    const bytes = new Map<string, Uint8Array>();
    for (const [path, text] of Object.entries(files)) {
      const data = new TextEncoder().encode(text);
      const sha = sha256Of(data);
      bytes.set(sha, data);
      manifest[path] = { sha256: sha, mode: "100644", size: data.length };
    }
    const missing = await api.missingBlobs([...bytes.keys()]);
    for (let i = 0; i < missing.length; i += 16) {
      await Promise.all(missing.slice(i, i + 16).map((sha) => api.putBlob(sha, bytes.get(sha) as Uint8Array)));
    }
    return (await api.createSnapshot(manifest)).sha256;
  };

  const big: Record<string, string> = {};
  for (let i = 0; i < 2_000; i++) {
    const size = 200 + ((i * 7919) % 4_000); // 200 B to 4 KB, about 4 MB in all
    big[`src/pkg${i % 40}/mod${Math.floor(i / 40)}/file${i}.ts`] = `// file ${i}\n${"x".repeat(size)}\n`;
  }
  const trees = { calculator: await upload(calculatorFiles()), "2,000 files": await upload(big) };

  const time = async (
    label: string,
    tree: { sha: string; manifest: Manifest },
    cacheDir: string,
    workspace: string,
    repo?: { root: string; commit: string },
  ) => {
    const cache = createBlobCache(cacheDir, (sha) => client.blob(sha));
    const ws = await openWorkspace({ root: join(scratch.dir, "workspaces"), key: workspace, slot: 0 });
    const synced = await ws.sync({
      manifest: tree.manifest,
      manifestSha: tree.sha,
      cache,
      baseCommit: repo?.commit ?? null,
      repoRoot: repo?.root,
    });
    await ws.release();
    return { label, ms: synced.durationMs, source: synced.source, ...synced.stats };
  };
  const load = async (sha: string) => ({ sha, manifest: (await client.snapshot(sha)).manifest });
  const calculator = await load(trees.calculator);
  const large = await load(trees["2,000 files"]);
  const changedFiles = { ...big };
  for (const path of Object.keys(big).filter((_, i) => i % 100 === 0)) changedFiles[path] = `${big[path]}// new\n`;
  const changed = await load(await upload(changedFiles));

  const rows: Awaited<ReturnType<typeof time>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const cacheDir = (name: string) => join(scratch.dir, `cache-${name}-${round}`);
    rows.push(await time("calculator, new workspace, cold cache", calculator, cacheDir("calc"), `calc-${round}`));
    rows.push(await time("2,000 files, new workspace, cold cache", large, cacheDir("big"), `big-${round}`));
    rows.push(await time("2,000 files, new workspace, warm cache", large, cacheDir("big"), `big-${round}-b`));
    rows.push(await time("2,000 files, warm workspace, same tree", large, cacheDir("big"), `big-${round}`));
    rows.push(await time("2,000 files, warm workspace, 20 files changed", changed, cacheDir("big"), `big-${round}`));
    // A clone whose HEAD differs from the 2,000-file tree in 20 files.
    const root = join(scratch.dir, `repo-${round}`);
    await mkdir(root, { recursive: true });
    for (const [path, text] of Object.entries(big)) {
      await mkdir(join(root, path, ".."), { recursive: true });
      const differs = Number(/file(\d+)/.exec(path)?.[1]) % 100 === 0;
      await writeFile(join(root, path), differs ? `${text}// old\n` : text);
    }
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: root,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "b",
          GIT_AUTHOR_EMAIL: "b@x",
          GIT_COMMITTER_NAME: "b",
          GIT_COMMITTER_EMAIL: "b@x",
        },
      }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const commit = git("rev-parse", "HEAD");
    rows.push(
      await time("2,000 files, new workspace from git archive, cold cache", large, cacheDir("git"), `git-${round}`, {
        root,
        commit,
      }),
    );
  }

  const byLabel = new Map<string, typeof rows>();
  for (const row of rows) byLabel.set(row.label, [...(byLabel.get(row.label) ?? []), row]);
  process.stdout.write("case | median ms | runs (ms) | written | kept | downloaded\n");
  for (const [label, list] of byLabel) {
    const ms = list.map((r) => r.ms).sort((a, b) => a - b);
    const last = list.at(-1);
    process.stdout.write(
      `${label} | ${ms[Math.floor(ms.length / 2)]} | ${list.map((r) => r.ms).join(", ")} | ${last?.written} | ${last?.kept} | ${last?.downloaded}\n`,
    );
  }
} finally {
  await stack.stop();
  await scratch.remove();
}
