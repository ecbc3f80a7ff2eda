// Times `materialise` against a real local stack (blobs over HTTP from Miniflare's R2):
// the calculator example and a 2,000-file tree, with a cold and a warm blob cache, and the
// 2,000-file tree from a git worktree of a commit that differs in 20 files.
//
//   node --import tsx bench/materialise.ts          (from packages/runner; prints a table)

import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, createRunnerClient, registerRunner } from "@bernstein/client";
import type { Manifest } from "@bernstein/core";
import { startLocalStack } from "@bernstein/local-stack";
import { createBlobCache, materialise, sha256Of } from "../src/index.js";
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

  const time = async (label: string, manifest: string, cacheDir: string, repo?: { root: string; commit: string }) => {
    const cache = createBlobCache(cacheDir, (sha) => client.blob(sha));
    const tree = await materialise({
      manifest,
      baseCommit: repo?.commit ?? null,
      repoRoot: repo?.root,
      loadManifest: async (sha) => (await client.snapshot(sha)).manifest,
      cache,
      workRoot: join(scratch.dir, "work"),
    });
    const row = { label, ms: tree.durationMs, source: tree.source, ...tree.stats };
    await tree.cleanup();
    return row;
  };

  const rows: Awaited<ReturnType<typeof time>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, sha] of Object.entries(trees)) {
      const cacheDir = join(scratch.dir, `cache-${name}-${round}`);
      rows.push(await time(`${name}, cold cache`, sha, cacheDir));
      rows.push(await time(`${name}, warm cache`, sha, cacheDir));
    }
    // A clone whose HEAD differs from the 2,000-file tree in 20 files.
    const root = join(scratch.dir, `repo-${round}`);
    await mkdir(root, { recursive: true });
    for (const [path, text] of Object.entries(big)) {
      await mkdir(join(root, path, ".."), { recursive: true });
      const changed = Number(/file(\d+)/.exec(path)?.[1]) % 100 === 0;
      await writeFile(join(root, path), changed ? `${text}// old\n` : text);
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
      await time(
        "2,000 files, git worktree, cold cache",
        trees["2,000 files"],
        join(scratch.dir, `cache-git-${round}`),
        { root, commit },
      ),
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
