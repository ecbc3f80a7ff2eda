// Bundles the CLI with esbuild into dist/main.js (workspace packages inlined, the CLI's own
// dependencies left external) and copies in what it runs: the two Worker bundles and the
// dashboard (dist/workers/) and the demo's example repo (dist/examples/calculator).
//
//   node scripts/build.mjs                  the real build (fails when a Worker bundle is missing)
//   node scripts/build.mjs --outdir DIR     build elsewhere (tests)
//   node scripts/build.mjs --skip-workers   leave the Workers out (tests that bring their own)

import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { outdir: { type: "string" }, "skip-workers": { type: "boolean", default: false } },
});
const outdir = resolve(appDir, values.outdir ?? "dist");
const pkg = JSON.parse(await readFile(join(appDir, "package.json"), "utf8"));

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// Resolve the Worker bundles first: a missing one should fail before anything is written.
const workers = [];
if (!values["skip-workers"]) {
  for (const name of ["orchestrator", "agent"]) {
    const specifier = `@bernstein/${name}/bundle`;
    let path;
    try {
      path = fileURLToPath(import.meta.resolve(specifier));
    } catch (error) {
      fail(`cannot resolve ${specifier}: ${error.message}`);
    }
    if (!existsSync(path)) {
      fail(
        `${specifier} (${path}) does not exist: build the Workers first (pnpm turbo run build --filter @bernstein/${name})`,
      );
    }
    workers.push({ name, path });
  }
}
// The dashboard the orchestrator serves as its static assets: it goes beside the Workers.
const dashboard = values["skip-workers"]
  ? undefined
  : join(dirname(fileURLToPath(import.meta.resolve("@bernstein/dashboard/package.json"))), "dist");
if (dashboard && !existsSync(join(dashboard, "index.html"))) {
  fail(`the dashboard is not built (${dashboard}): pnpm turbo run build --filter @bernstein/dashboard`);
}

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: appDir,
  entryPoints: { main: "src/main.ts" },
  outdir,
  // The monitor (Ink, React) is imported only when it opens: a chunk of its own keeps the
  // ~0.3 s of loading Ink out of every other command.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
  // ESM builds first: some packages' "main" is a UMD build whose dynamic require()s esbuild
  // cannot follow (jsonc-parser's `./impl/format`).
  mainFields: ["module", "main"],
  // Bundled CommonJS code may call require(); ESM output has none of its own.
  banner: {
    js: 'import { createRequire as __bernsteinRequire } from "node:module";\nconst require = __bernsteinRequire(import.meta.url);',
  },
  logLevel: "warning",
});

await mkdir(join(outdir, "workers"), { recursive: true });
for (const { name, path } of workers) {
  await cp(path, join(outdir, "workers", `${name}.js`));
  if (existsSync(`${path}.map`)) await cp(`${path}.map`, join(outdir, "workers", `${name}.js.map`));
}
if (dashboard) await cp(dashboard, join(outdir, "workers", "dashboard"), { recursive: true });

const example = resolve(appDir, "..", "..", "examples", "calculator");
if (!existsSync(join(example, "package.json"))) fail(`the demo's example repo is missing at ${example}`);
await cp(example, join(outdir, "examples", "calculator"), {
  recursive: true,
  filter: (src) => !/[\\/](node_modules|\.git|\.bernstein)$/.test(src),
});

console.log(
  `build: ${join(outdir, "main.js")}${workers.length ? ` + workers (${workers.map((w) => w.name).join(", ")})` : ""}`,
);
