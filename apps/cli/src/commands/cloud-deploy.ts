import { type DeployResult, deploy, type Jurisdiction } from "@bernstein/deploy";
import { InvalidArgumentError } from "commander";
import { createOutput, type Output } from "../output/output.js";
import { resolveWorkerBundles } from "../stack/worker-bundles.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION } from "./shared-options.js";

interface CloudDeployOptions {
  project: string;
  dryRun?: boolean;
  json?: boolean;
  accountId?: string;
  locationHint?: string;
  jurisdiction?: Jurisdiction;
}

const LOCATION_HINTS = ["wnam", "enam", "weur", "eeur", "apac", "oc"];

export const cloudDeployCommand = defineCommand<CloudDeployOptions>({
  path: ["cloud", "deploy"],
  description:
    "Deploy the stack to your Cloudflare account with the pinned wrangler: D1, R2, both Workers (Durable Object, Workflows), migrations, secrets. Idempotent: a second run creates nothing and says what it reused",
  options: [
    {
      flags: "--project <name>",
      description: "project name: Workers bernstein-NAME-orchestrator and -agent",
      required: true,
    },
    { flags: "--dry-run", description: "print the plan and write the configs; no network" },
    {
      flags: "--account-id <id>",
      description: "the Cloudflare account (default: CLOUDFLARE_ACCOUNT_ID, or the only one)",
    },
    {
      flags: "--location-hint <hint>",
      description: `where D1 and R2 keep their primary copy: ${LOCATION_HINTS.join(", ")}`,
      parse: parseLocationHint,
    },
    {
      flags: "--jurisdiction <j>",
      description: "keep D1 and R2 data inside a jurisdiction: eu or fedramp (fixed after the first deploy)",
      parse: parseJurisdiction,
    },
    JSON_OPTION,
  ],
  examples: [
    { command: "bernstein cloud deploy --project acme --dry-run", description: "the plan, no network" },
    { command: "CLOUDFLARE_API_TOKEN=... bernstein cloud deploy --project acme", description: "deploy (or update)" },
    { command: "bernstein cloud deploy --project acme --jurisdiction eu", description: "data stays in the EU" },
  ],
  async handler(_args, options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const result = await deploy({
      project: options.project,
      bundles: resolveWorkerBundles(io.env),
      env: io.env,
      dryRun: Boolean(options.dryRun),
      accountId: options.accountId,
      locationHint: options.locationHint,
      jurisdiction: options.jurisdiction,
      progress: (line) => out.note(line),
      wranglerOutput: debug ? (line) => out.note(`  wrangler: ${line}`) : undefined,
      signal: io.signal,
    });
    if (out.json) out.data(result);
    else printResult(out, result);
    return 0;
  },
});

function printResult(out: Output, result: DeployResult): void {
  const title = result.dryRun
    ? `Plan for project ${result.project} (dry run, nothing changed)`
    : `Deployed ${result.project}`;
  out.print(out.color.bold(title));
  for (const r of result.resources) {
    out.print(`  ${r.action.padEnd(7)} ${r.kind.padEnd(15)} ${r.name}  [${r.plan} plan]`);
  }
  out.print("Configs:");
  for (const w of result.workers) out.print(`  ${w.name}: ${w.config}`);
  out.print(`Secrets: ${result.secrets.join(", ")} (names only; plus a runner token registered with the API)`);
  out.print("R2 needs billing enabled on the account, even on the Free plan (its free tier is not charged).");
  if (!result.dryRun) {
    if (result.reused.length > 0) out.print(`Reused: ${result.reused.join(", ")}`);
    if (result.url)
      out.print(`URL: ${result.url}   Use it: bernstein run --cloud --project ${result.project} --goal ...`);
  }
}

function parseLocationHint(value: string): string {
  if (!LOCATION_HINTS.includes(value)) throw new InvalidArgumentError(`expected one of ${LOCATION_HINTS.join(", ")}`);
  return value;
}

function parseJurisdiction(value: string): Jurisdiction {
  if (value !== "eu" && value !== "fedramp") throw new InvalidArgumentError("expected eu or fedramp");
  return value;
}
