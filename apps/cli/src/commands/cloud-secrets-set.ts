import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import {
  deployDir,
  MODEL_SECRETS,
  projectsFilePath,
  readProjects,
  requireProject,
  runWrangler,
} from "@bernstein/deploy";
import { readSecret } from "../cloud/read-secret.js";
import { resolveCloudTarget } from "../cloud/target.js";
import { createOutput } from "../output/output.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION, PROJECT_OPTION } from "./shared-options.js";

// Only what the Workers read: a typo would otherwise be stored and never used. API_TOKEN and
// AUDIT_HMAC_KEY are the deploy's own (projects.json holds them; changing one here would cut
// this machine off).
const SETTABLE: readonly string[] = MODEL_SECRETS;

export const cloudSecretsSetCommand = defineCommand<{ project?: string; worker?: string; json?: boolean }>({
  path: ["cloud", "secrets", "set"],
  description:
    "Store a secret (a model key) in the deployed Workers: prompts without echo on a terminal, reads stdin otherwise; the value never reaches an argument or a log",
  args: [{ name: "name", description: `the secret's name: ${MODEL_SECRETS.join(" or ")}`, required: true }],
  options: [
    PROJECT_OPTION,
    { flags: "--worker <key>", description: "only this Worker: orchestrator or agent (default: both)" },
    JSON_OPTION,
  ],
  examples: [
    { command: "bernstein cloud secrets set ANTHROPIC_API_KEY", description: "prompts for the key" },
    {
      command: 'printf %s "$KEY" | bernstein cloud secrets set OPENAI_API_KEY --project acme',
      description: "from stdin",
    },
  ],
  async handler([name], options, { io, debug }) {
    if (!name || !SETTABLE.includes(name)) {
      const managed = name === "API_TOKEN" || name === "AUDIT_HMAC_KEY";
      throw new BernsteinError(
        "usage",
        managed ? `${name} is set by cloud deploy, not by hand` : `"${name ?? ""}" is not a secret the Workers read`,
        { details: { fix: `Set one of ${SETTABLE.join(", ")}, e.g. bernstein cloud secrets set ${SETTABLE[0]}` } },
      );
    }
    const out = createOutput(io, { json: options.json });
    const keys = options.worker ? [options.worker] : ["orchestrator", "agent"];
    if (keys.some((k) => k !== "orchestrator" && k !== "agent")) {
      throw new BernsteinError("usage", `--worker must be orchestrator or agent, not ${options.worker}`, {
        details: { fix: "Pass --worker orchestrator or --worker agent, or leave it out to set both." },
      });
    }
    const path = projectsFilePath(io.env);
    const { project } = await resolveCloudTarget(io.env, options.project);
    if (project === undefined) {
      throw new BernsteinError("unknown_project", `no project is deployed from this machine (${path})`, {
        details: { fix: "Secrets are set from the machine that deployed: `bernstein cloud deploy --project NAME`." },
      });
    }
    const record = requireProject(await readProjects(path), project, path);
    const value = await readSecret(io, `${name}: `);
    if (value === "") {
      throw new BernsteinError("usage", `the value of ${name} is empty: nothing was set`, {
        details: {
          fix: `Type the key at the prompt, or pipe it in: printf %s "$KEY" | bernstein cloud secrets set ${name} --project ${record.name}`,
        },
      });
    }
    for (const key of keys) {
      await runWrangler(
        {
          env: io.env,
          cwd: deployDir(io.env, record.name),
          accountId: record.accountId,
          ...(debug ? { onOutput: (l) => out.note(`  wrangler: ${l}`) } : {}),
        },
        {
          args: ["secret", "bulk", "-c", join(deployDir(io.env, record.name), key, "wrangler.json")],
          stdin: JSON.stringify({ [name]: value }),
          doing: `set ${name} on bernstein-${record.name}-${key}`,
        },
      );
      if (!out.json) out.print(`Set ${name} on bernstein-${record.name}-${key}.`);
    }
    // The name and where it went, never the value.
    if (out.json)
      out.data({ project: record.name, secret: name, workers: keys.map((k) => `bernstein-${record.name}-${k}`) });
    return 0;
  },
});
