import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { deployDir, projectsFilePath, readProjects, requireProject, runWrangler } from "@bernstein/deploy";
import { readSecret } from "../cloud/read-secret.js";
import { resolveCloudTarget } from "../cloud/target.js";
import { createOutput } from "../output/output.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION, PROJECT_OPTION } from "./shared-options.js";

const NAME = /^[A-Z][A-Z0-9_]*$/;

export const cloudSecretsSetCommand = defineCommand<{ project?: string; worker?: string; json?: boolean }>({
  path: ["cloud", "secrets", "set"],
  description:
    "Store a secret (a model key) in the deployed Workers: prompts without echo on a terminal, reads stdin otherwise; the value never reaches an argument or a log",
  args: [{ name: "name", description: "the secret's name, e.g. ANTHROPIC_API_KEY", required: true }],
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
    if (!name || !NAME.test(name)) {
      throw new BernsteinError("usage", `"${name ?? ""}" is not a secret name`, {
        details: { fix: "Use UPPER_CASE letters, digits and underscores, e.g. ANTHROPIC_API_KEY." },
      });
    }
    const out = createOutput(io, { json: options.json });
    const target = await resolveCloudTarget(io.env, options.project);
    const path = projectsFilePath(io.env);
    const record = requireProject(await readProjects(path), target.project ?? "", path);
    const keys = options.worker ? [options.worker] : ["orchestrator", "agent"];
    if (keys.some((k) => k !== "orchestrator" && k !== "agent")) {
      throw new BernsteinError("usage", `--worker must be orchestrator or agent, not ${options.worker}`);
    }
    const value = await readSecret(io, `${name}: `);
    if (value === "") throw new BernsteinError("usage", "the secret is empty: nothing was set");
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
