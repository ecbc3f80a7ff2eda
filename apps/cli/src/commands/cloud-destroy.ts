import { BernsteinError } from "@bernstein/core";
import { destroy, projectsFilePath, readProjects, requireProject } from "@bernstein/deploy";
import { readLine, terminalInput } from "../cloud/read-secret.js";
import { createOutput } from "../output/output.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION } from "./shared-options.js";

interface CloudDestroyOptions {
  project: string;
  yes?: boolean;
  deleteData?: boolean;
  json?: boolean;
}

export const cloudDestroyCommand = defineCommand<CloudDestroyOptions>({
  path: ["cloud", "destroy"],
  description:
    "Delete a deployed project's Workers and Workflows (asks for the project name unless --yes); its D1 database and R2 bucket only with --delete-data",
  options: [
    { flags: "--project <name>", description: "the project to destroy", required: true },
    { flags: "--yes", description: "do not ask for the project name" },
    { flags: "--delete-data", description: "also delete the D1 database and the R2 bucket with every artifact in it" },
    JSON_OPTION,
  ],
  examples: [
    { command: "bernstein cloud destroy --project acme", description: "remove the Workers, keep the data" },
    { command: "bernstein cloud destroy --project acme --yes --delete-data", description: "remove everything" },
  ],
  async handler(_args, options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    if (!options.yes) {
      // An unknown project is said first: there is nothing to confirm.
      const path = projectsFilePath(io.env);
      requireProject(await readProjects(path), options.project, path);
      const input = terminalInput(io);
      if (!input) {
        throw new BernsteinError(
          "usage",
          "cloud destroy asks for the project name, and there is no terminal to ask on",
          {
            details: { fix: `Pass --yes: bernstein cloud destroy --project ${options.project} --yes` },
          },
        );
      }
      const what = options.deleteData ? "its Workers, D1 database and R2 bucket" : "its Workers (the data stays)";
      const answer = await readLine(
        input,
        io,
        `Destroy ${what}? Type the project name (${options.project}) to confirm: `,
      );
      if (answer.trim() !== options.project) {
        throw new BernsteinError("usage", "the name typed does not match: nothing was destroyed", {
          details: { fix: `Type ${options.project} exactly, or pass --yes.` },
        });
      }
    }
    const result = await destroy({
      project: options.project,
      env: io.env,
      deleteData: Boolean(options.deleteData),
      progress: (line) => out.note(line),
      wranglerOutput: debug ? (line) => out.note(`  wrangler: ${line}`) : undefined,
      signal: io.signal,
    });
    if (out.json) out.data(result);
    else {
      out.print(`Destroyed ${result.project}: deleted ${result.deleted.join(", ") || "nothing (it was gone)"}.`);
      if (result.kept.length > 0) out.print(`Kept (delete with --delete-data): ${result.kept.join(", ")}`);
    }
    return 0;
  },
});
