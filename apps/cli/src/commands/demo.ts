import { createClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";
import { hasModelKey } from "@bernstein/local-stack";
import { CALCULATOR_GOAL, demoScript, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { testBranch } from "../demo/check-branch.js";
import { exampleSourceDir, prepareExampleRepo } from "../demo/example-repo.js";
import { createOutput } from "../output/output.js";
import { runFailure, waitAndPull } from "../run/finish-run.js";
import { startRun } from "../run/start-run.js";
import { runningStack } from "../stack/ensure-stack.js";
import { startRepoStack } from "../stack/local-stack.js";
import { removeStackFile, stackInfoOf, writeStackFile } from "../stack/stack-file.js";
import { resolveWorkerBundles } from "../stack/worker-bundles.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION } from "./shared-options.js";

interface DemoOptions {
  dir?: string;
  json?: boolean;
}

/** The first line of a demo without a model key: the contract says it must say so. */
export const SCRIPTED_MODEL_NOTICE =
  "No ANTHROPIC_API_KEY or OPENAI_API_KEY set: using the scripted model (no network, no cost).";

// The scripted model checks that requests carry a key; this one only ever reaches loopback.
const PLACEHOLDER_KEY = "scripted-model-placeholder";

export const demoCommand = defineCommand<DemoOptions>({
  path: ["demo"],
  description:
    "Run a real run on the example calculator repo on a local stack, write its result branch and run that branch's tests (uses the scripted model when no model key is set)",
  options: [
    { flags: "--dir <dir>", description: "where to put the example repo (default: a new temp dir)" },
    JSON_OPTION,
  ],
  examples: [
    { command: "bernstein demo", description: "the whole loop on a fresh machine, no key needed" },
    { command: "ANTHROPIC_API_KEY=... bernstein demo --dir ./calc-demo", description: "the same with a real model" },
  ],
  async handler(_args, options, { io }) {
    const out = createOutput(io, { json: options.json });
    const keyless = !hasModelKey(io.env);
    out.print(
      keyless ? SCRIPTED_MODEL_NOTICE : "Using the model key from the environment (real model calls, real cost).",
    );
    let model: ScriptedModel | undefined;
    try {
      model = keyless ? await startScriptedModel(demoScript(), { apiKey: PLACEHOLDER_KEY }) : undefined;
      const env = model
        ? {
            ...io.env,
            ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
            ANTHROPIC_API_KEY: PLACEHOLDER_KEY,
            OPENAI_BASE_URL: model.openaiBaseUrl,
            OPENAI_API_KEY: PLACEHOLDER_KEY,
          }
        : io.env;
      const dir = await prepareExampleRepo(exampleSourceDir("calculator", env), options.dir, io.cwd);
      out.print(`Example repo: ${dir}`);
      const { root, paths } = await openRepo({ ...io, cwd: dir }, undefined);
      const other = await runningStack(paths);
      if (other) {
        throw new BernsteinError("conflict", `a stack is already running for ${root} (pid ${other.pid})`, {
          details: { fix: "Stop it with `bernstein dev stop` in that directory, or use another --dir." },
        });
      }
      const spinner = out.spinner("Starting the local stack…");
      const stack = await startRepoStack({ paths, bundles: resolveWorkerBundles(env), port: 0, env }).finally(() =>
        spinner.stop(),
      );
      try {
        await writeStackFile(paths.stackFile, stackInfoOf(stack, paths.dir, env));
        out.print(`Local stack at ${stack.url} (stops when the demo ends).`);
        const client = createClient({ baseUrl: stack.url, token: stack.token });
        const run = await startRun(client, { root, paths, out, goal: CALCULATOR_GOAL, dirty: false });
        out.print(`Run ${run.id}: ${CALCULATOR_GOAL}`);
        const outcome = await waitAndPull(client, run, { root, paths, out, signal: io.signal });
        if (outcome.interrupted) return undefined;
        if (!outcome.pulled) {
          if (out.json) out.data({ repo: root, run: outcome.run });
          throw runFailure(outcome.run);
        }
        const branch = outcome.pulled.branch;
        const report = await testBranch(root, branch, io.signal);
        if (out.json) out.data({ repo: root, run: outcome.run, branch, tests: report });
        else {
          if (!report.passed)
            out.print(
              report.tail
                .split("\n")
                .map((line) => `  ${line}`)
                .join("\n"),
            );
          const { tests, pass, fail } = report.counts;
          if (tests !== undefined) out.print(`${report.command}: ${tests} tests, ${pass ?? 0} pass, ${fail ?? 0} fail`);
          out.print(
            report.passed
              ? `${out.color.green("Tests pass")} on branch ${branch} (${report.command}). See it: cd ${root} && git log ${branch}`
              : `${out.color.red("Tests fail")} on branch ${branch} (${report.command}).`,
          );
        }
        if (!report.passed) {
          throw new BernsteinError("run_failed", `the tests of branch ${branch} fail (${report.command})`, {
            details: { fix: `Inspect it: cd ${root} && git switch ${branch} && ${report.command}` },
          });
        }
        return 0;
      } finally {
        await stack.stop();
        await removeStackFile(paths.stackFile, process.pid);
      }
    } finally {
      await model?.close();
    }
  },
});
