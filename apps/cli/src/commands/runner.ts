import { homedir } from "node:os";
import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { InvalidArgumentError } from "commander";
import { type CloudFlags, resolveCloudTarget } from "../cloud/target.js";
import { findRepoRoot } from "../git/repo.js";
import type { CliIo } from "../io.js";
import { createOutput } from "../output/output.js";
import { runningStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { parsePositiveInt } from "./option-parsers.js";
import { openRepo } from "./repo-context.js";
import { describeRunnerEvent, runnerEventJson, startRunnerSession } from "./runner-session.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface RunnerOptions extends CloudFlags {
  url?: string;
  token?: string;
  labels?: string[];
  concurrency: number;
  name?: string;
  json?: boolean;
  stateDir?: string;
}

/** The folder of cached blobs under a state dir or a user cache dir. */
const BLOB_CACHE = "runner-blobs";

export const runnerCommand = defineCommand<RunnerOptions>({
  path: ["runner"],
  description:
    "Run verify jobs for a stack: claim a job, materialise its tree in a temporary directory, run the run's verify commands, post the result (the local stack of this repo unless --url is given)",
  options: [
    { flags: "--url <url>", description: "a stack's URL (with --token); default: this repo's local stack" },
    {
      flags: "--token <token>",
      description:
        "a runner token (with --url also BERNSTEIN_RUNNER_TOKEN); without one the runner registers itself with the API token",
    },
    { flags: "--labels <a,b>", description: "labels this runner offers, comma-separated", parse: parseLabels },
    {
      flags: "--concurrency <n>",
      description: "jobs run at the same time",
      defaultValue: 1,
      parse: parsePositiveInt,
    },
    { flags: "--name <name>", description: "the name to register under (default: host and pid)" },
    { ...JSON_OPTION, description: "print one JSON object per job event (one per line)" },
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein runner", description: "run jobs for the local stack of this repo until Ctrl-C" },
    { command: "bernstein runner --concurrency 2 --labels linux,node", description: "two jobs at once, with labels" },
    {
      command: "BERNSTEIN_RUNNER_TOKEN=... bernstein runner --url https://bernstein.example.workers.dev",
      description: "run jobs for a deployed stack (token from registration)",
    },
  ],
  async handler(_args, options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const cloud = options.cloud ? await resolveCloudTarget(io.env, options.project) : undefined;
    const target = cloud
      ? await remoteTarget(io, cloud.url, options.token ?? cloud.runnerToken, options.stateDir)
      : options.url !== undefined
        ? await remoteTarget(io, options.url, options.token ?? io.env.BERNSTEIN_RUNNER_TOKEN, options.stateDir)
        : { ...(await localTarget(io, options.stateDir)), ...(options.token ? { runnerToken: options.token } : {}) };
    const stop = new AbortController();
    const onAbort = () => stop.abort(io.signal.reason);
    if (io.signal.aborted) return 0;
    io.signal.addEventListener("abort", onAbort, { once: true });
    try {
      const session = await startRunnerSession({
        url: target.url,
        runnerToken: target.runnerToken,
        apiToken: target.apiToken,
        name: options.name,
        labels: options.labels ?? [],
        concurrency: options.concurrency,
        cacheDir: target.cacheDir,
        repoRoot: target.repoRoot,
        env: io.env,
        signal: stop.signal,
        onEvent(event) {
          if (out.json) {
            io.stdout.write(`${JSON.stringify(runnerEventJson(event))}\n`);
            return;
          }
          const line = describeRunnerEvent(event, event.type === "retrying" ? out.errColor : out.color, debug);
          if (line === undefined) return;
          if (event.type === "retrying" || event.type === "materialised") out.note(line);
          else out.print(line);
        },
      });
      const slots = `${options.concurrency} job${options.concurrency === 1 ? "" : "s"} at a time`;
      const labels = options.labels?.length ? `, labels ${options.labels.join(",")}` : "";
      out.note(
        `Runner ${session.name}${session.id ? ` (${session.id})` : ""} is waiting for jobs from ${target.url} (${slots}${labels}). Press Ctrl-C to stop.`,
      );
      await session.runner.stopped.catch((error: unknown) => {
        throw withFix(error, target.runnerToken !== undefined);
      });
    } finally {
      io.signal.removeEventListener("abort", onAbort);
    }
    return 0;
  },
});

interface RunnerTarget {
  url: string;
  runnerToken?: string | undefined;
  apiToken?: string | undefined;
  cacheDir: string;
  repoRoot?: string | undefined;
}

/** `--url`: a runner token is required; the repo (if the command runs in one) lends its clone. */
async function remoteTarget(
  io: CliIo,
  url: string,
  runnerToken: string | undefined,
  stateDir: string | undefined,
): Promise<RunnerTarget> {
  if (!runnerToken) {
    throw new BernsteinError("usage", "--url needs a runner token: pass --token or set BERNSTEIN_RUNNER_TOKEN", {
      details: {
        fix: "Create one with `bernstein tokens create --runner --name NAME` and pass the token it prints.",
      },
    });
  }
  const repoRoot = await repoRootOf(io.cwd);
  if (repoRoot === undefined) {
    const cacheHome = io.env.XDG_CACHE_HOME || join(io.env.HOME || homedir(), ".cache");
    return { url, runnerToken, cacheDir: join(cacheHome, "bernstein", BLOB_CACHE) };
  }
  const { paths } = await openRepo(io, stateDir);
  return { url, runnerToken, cacheDir: join(paths.cacheDir, BLOB_CACHE), repoRoot };
}

/** No --url: the stack of this repo (or BERNSTEIN_URL), where the runner registers with the API token. */
async function localTarget(io: CliIo, stateDir: string | undefined): Promise<RunnerTarget> {
  const { root, paths } = await openRepo(io, stateDir);
  const cacheDir = join(paths.cacheDir, BLOB_CACHE);
  if (io.env.BERNSTEIN_URL) {
    return { url: io.env.BERNSTEIN_URL, apiToken: io.env.BERNSTEIN_TOKEN, cacheDir, repoRoot: root };
  }
  const info = await runningStack(paths);
  if (!info) {
    throw new BernsteinError("stack_unreachable", `no local stack is running for ${root}`, {
      details: { fix: "Start it with `bernstein dev` (which runs a runner of its own), or pass --url and --token." },
    });
  }
  return { url: info.url, apiToken: info.token, cacheDir, repoRoot: root };
}

async function repoRootOf(cwd: string): Promise<string | undefined> {
  try {
    return await findRepoRoot(cwd);
  } catch (error) {
    if (error instanceof BernsteinError && error.code === "not_a_git_repo") return undefined;
    throw error;
  }
}

function withFix(error: unknown, givenToken: boolean): unknown {
  if (!(error instanceof BernsteinError)) return error;
  if (error.code !== "unauthorized" && error.code !== "forbidden") return error;
  const fix = givenToken
    ? "The runner token is missing or not valid for this stack: register a runner again and use its token."
    : "The stack refused this runner's token: restart the runner (it registers again).";
  return new BernsteinError(error.code, error.message, { cause: error, details: { ...error.details, fix } });
}

/** `--labels a,b`: a comma-separated list of non-empty labels. */
function parseLabels(value: string): string[] {
  const labels = value
    .split(",")
    .map((label) => label.trim())
    .filter((label) => label !== "");
  if (labels.length === 0) throw new InvalidArgumentError("expected labels like linux,node");
  return labels;
}
