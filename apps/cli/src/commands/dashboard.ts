import { openBrowser } from "../dashboard/open-browser.js";
import { createOutput } from "../output/output.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { newestRunId } from "./select-run.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface DashboardOptions {
  open?: boolean;
  json?: boolean;
  stateDir?: string;
  cloud?: boolean;
  project?: string;
}

export const dashboardCommand = defineCommand<DashboardOptions>({
  path: ["dashboard"],
  description:
    "Open the web dashboard the stack serves, through a one-time login link (it works once, for 5 minutes, and never carries the API token)",
  args: [{ name: "run", description: "the run to land on (default: the newest run, if any)", required: false }],
  options: [
    { flags: "--no-open", description: "print the link without opening a browser" },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein dashboard", description: "open the newest run in the browser" },
    { command: "bernstein dashboard r_0123456789ab --no-open", description: "print a link to one run" },
    { command: "bernstein dashboard --cloud", description: "the dashboard of the deployed stack" },
    { command: "bernstein dashboard --json --no-open", description: "{url, login_url, expires_at} for scripts" },
  ],
  async handler([run], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client, url: base } = await ensureStack({ io, root, paths, out, debug, cloud: options });
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
