import { BernsteinError } from "@bernstein/core";
import { openBrowser } from "../dashboard/open-browser.js";
import { createOutput } from "../output/output.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STATE_DIR_OPTION } from "./shared-options.js";

interface DashboardOptions {
  cloud?: boolean;
  open?: boolean;
  json?: boolean;
  stateDir?: string;
}

export const dashboardCommand = defineCommand<DashboardOptions>({
  path: ["dashboard"],
  description:
    "Open the web dashboard the stack serves, through a one-time login link (it works once, for 5 minutes, and never carries the API token)",
  args: [{ name: "run", description: "the run to land on (default: the newest run, if any)", required: false }],
  options: [
    { flags: "--cloud", description: "the deployed stack instead of this repo's local one" },
    { flags: "--no-open", description: "print the link without opening a browser" },
    JSON_OPTION,
    STATE_DIR_OPTION,
  ],
  examples: [
    { command: "bernstein dashboard", description: "open the newest run in the browser" },
    { command: "bernstein dashboard r_0123456789ab --no-open", description: "print a link to one run" },
    { command: "bernstein dashboard --json --no-open", description: "{url, login_url, expires_at} for scripts" },
  ],
  async handler([run], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    if (options.cloud && !io.env.BERNSTEIN_URL) {
      throw new BernsteinError("usage", "--cloud needs a deployed stack, and none is configured on this machine", {
        details: {
          fix: "Deploy one with `bernstein cloud deploy --project NAME`, or point at one with BERNSTEIN_URL and BERNSTEIN_TOKEN.",
        },
      });
    }
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client, url: base } = await ensureStack({ io, root, paths, out, debug });
    const runId = run ?? (await newestRunId(client));
    const login = await client.createLoginCode(runId ?? null);
    const link = {
      url: `${base}${login.landingPath}`,
      login_url: `${base}${login.loginPath}`,
      expires_at: login.expiresAt,
    };
    if (out.json) out.data(link);
    else {
      out.print(`Dashboard:  ${link.url}`);
      out.print(`Login link: ${link.login_url}`);
      out.note(`The link works once, until ${link.expires_at}; run \`bernstein dashboard\` again for a new one.`);
    }
    if (options.open !== false && !(await openBrowser(link.login_url, io.env))) {
      out.note("Could not open a browser here: open the login link above yourself.");
    }
    return 0;
  },
});

async function newestRunId(client: { listRuns(): Promise<{ id: string; createdAt: string }[]> }) {
  const runs = await client.listRuns();
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.id;
}
