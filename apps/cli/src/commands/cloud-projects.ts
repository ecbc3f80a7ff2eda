import { projectsFilePath, readProjects } from "@bernstein/deploy";
import { createOutput } from "../output/output.js";
import { formatTable } from "../output/table.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION } from "./shared-options.js";

export const cloudProjectsCommand = defineCommand<{ json?: boolean }>({
  path: ["cloud", "projects"],
  description:
    "List the projects deployed from this machine ($XDG_CONFIG_HOME/bernstein/projects.json); tokens are never printed",
  options: [JSON_OPTION],
  examples: [
    { command: "bernstein cloud projects", description: "a table" },
    {
      command: "bernstein cloud projects --json",
      description: "[{name, accountId, url, database, bucket, workers, deployedAt}]",
    },
  ],
  async handler(_args, options, { io }) {
    const out = createOutput(io, { json: options.json });
    const file = await readProjects(projectsFilePath(io.env));
    const projects = Object.values(file.projects).map((p) => ({
      name: p.name,
      accountId: p.accountId,
      url: p.url ?? null,
      database: p.database,
      bucket: p.bucket,
      workers: Object.values(p.workers).map((w) => w?.name),
      runnerRegistered: p.runnerToken !== undefined,
      deployedAt: p.deployedAt ?? null,
    }));
    if (out.json) {
      out.data(projects);
      return 0;
    }
    if (projects.length === 0) {
      out.print("No project is deployed from this machine. Deploy one: bernstein cloud deploy --project NAME");
      return 0;
    }
    const rows = projects.map((p) => [p.name, p.url ?? "(deploy unfinished)", p.accountId, p.deployedAt ?? "-"]);
    out.print(formatTable(["PROJECT", "URL", "ACCOUNT", "DEPLOYED"], rows));
    return 0;
  },
});
