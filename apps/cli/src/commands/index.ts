import { approveCommand } from "./approve.js";
import { auditExportCommand, auditVerifyCommand } from "./audit.js";
import { budgetCommand } from "./budget.js";
import { cancelCommand } from "./cancel.js";
import { cloudDeployCommand } from "./cloud-deploy.js";
import { cloudDestroyCommand } from "./cloud-destroy.js";
import { cloudProjectsCommand } from "./cloud-projects.js";
import { cloudRunnerTokenCommand } from "./cloud-runner-token.js";
import { cloudSecretsSetCommand } from "./cloud-secrets-set.js";
import { cloudStatusCommand } from "./cloud-status.js";
import { costCommand } from "./cost.js";
import { dashboardCommand } from "./dashboard.js";
import type { CommandDefinition } from "./define.js";
import { demoCommand } from "./demo.js";
import { devCommand } from "./dev.js";
import { devStopCommand } from "./dev-stop.js";
import { logsCommand } from "./logs.js";
import { pullCommand } from "./pull.js";
import { rejectCommand } from "./reject.js";
import { retryCommand } from "./retry.js";
import { runCommand } from "./run.js";
import { runnerCommand } from "./runner.js";
import { tasksCommand } from "./tasks.js";
import { tokensCreateCommand, tokensListCommand, tokensRevokeCommand, tokensRotateCommand } from "./tokens.js";

/** Every command of the CLI; `program.ts` builds the commander tree from this list. */
export const COMMANDS: readonly CommandDefinition[] = [
  devCommand,
  devStopCommand,
  runCommand,
  pullCommand,
  tasksCommand,
  cloudStatusCommand,
  cloudDeployCommand,
  cloudDestroyCommand,
  cloudProjectsCommand,
  cloudRunnerTokenCommand,
  cloudSecretsSetCommand,
  costCommand,
  demoCommand,
  approveCommand,
  rejectCommand,
  cancelCommand,
  retryCommand,
  logsCommand,
  budgetCommand,
  runnerCommand,
  dashboardCommand,
  tokensCreateCommand,
  tokensListCommand,
  tokensRevokeCommand,
  tokensRotateCommand,
  auditVerifyCommand,
  auditExportCommand,
];

/** Descriptions of command groups that have no handler of their own. */
export const GROUPS: Readonly<Record<string, string>> = {
  "cloud secrets": "Secrets of the deployed Workers",
  cloud: "Your deployed stack on Cloudflare: deploy, destroy, projects, secrets; and status of runs",
  tokens: "API tokens of the stack, stored as hashes: create, list, revoke, rotate",
  audit: "The runs' tamper-evident HMAC audit chains: verify, export",
};

export type { CommandContext, CommandDefinition } from "./define.js";
export { cloudStatusCommand, demoCommand, devCommand, devStopCommand, pullCommand, runCommand, tasksCommand };
