import { BernsteinError } from "@bernstein/core";
import { resolveCloudTarget } from "../cloud/target.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION, PROJECT_OPTION } from "./shared-options.js";

export const cloudRunnerTokenCommand = defineCommand<{ project?: string; json?: boolean }>({
  path: ["cloud", "runner-token"],
  description:
    "Print the runner token registered at deploy, for a CI runner (pipe it into your CI's secret store; it is printed nowhere else)",
  options: [PROJECT_OPTION, JSON_OPTION],
  examples: [
    {
      command: "bernstein cloud runner-token --project acme | gh secret set BERNSTEIN_RUNNER_TOKEN",
      description: "the GitHub Actions secret of templates/bernstein-runner.yml",
    },
  ],
  async handler(_args, options, { io }) {
    const target = await resolveCloudTarget(io.env, options.project);
    if (!target.runnerToken) {
      throw new BernsteinError("unknown_project", "no runner token is recorded for this project", {
        details: { fix: "Run `bernstein cloud deploy --project NAME` again: it registers one." },
      });
    }
    io.stdout.write(
      options.json
        ? `${JSON.stringify({ project: target.project, scope: "runner", token: target.runnerToken })}\n`
        : `${target.runnerToken}\n`,
    );
    return 0;
  },
});
