import { randomBytes } from "node:crypto";
import { ADMIN_TOKEN_NAME, BernsteinError, type CreatedToken, TokenName } from "@bernstein/core";
import { projectsFilePath, updateProject } from "@bernstein/deploy";
import { InvalidArgumentError } from "commander";
import { type CloudFlags, resolveCloudTarget } from "../cloud/target.js";
import { EXIT } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import type { Output } from "../output/output.js";
import { formatTable } from "../output/table.js";
import { runningStack } from "../stack/ensure-stack.js";
import { writeStackFile } from "../stack/stack-file.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect } from "./task-control.js";

interface TokenOptions extends CloudFlags {
  json?: boolean;
}

function parseName(value: string): string {
  const parsed = TokenName.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? "not a token name");
  return value;
}

/** The one time a token's value is printed: alone on stdout, so `$(bernstein tokens create ...)` captures it. */
function printCreated(io: CliIo, out: Output, created: CreatedToken, what: string): void {
  if (out.json) {
    out.data({ name: created.name, scope: created.scope, token: created.token });
    return;
  }
  out.note(
    `${what} ${created.scope} token ${out.errColor.bold(created.name)}. It is shown only now; D1 keeps its hash.`,
  );
  io.stdout.write(`${created.token}\n`);
}

export const tokensCreateCommand = defineCommand<TokenOptions & { runner?: boolean; name?: string }>({
  path: ["tokens", "create"],
  description: "Create a runner token (it reaches only the runner routes) and print it once",
  options: [
    {
      flags: "--runner",
      description: "a runner token (the only kind created; the admin token is rotated)",
      required: true,
    },
    { flags: "--name <name>", description: "its name (default runner-<random>)", parse: parseName },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein tokens create --runner --name ci", description: "a token for a runner in CI" },
    {
      command: "BERNSTEIN_RUNNER_TOKEN=$(bernstein tokens create --runner) bernstein runner --url URL",
      description: "create one and start a runner with it",
    },
    { command: "bernstein tokens create --runner --name ci --json", description: "{name, scope, token}" },
  ],
  async handler(_args, options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const name = options.name ?? `runner-${randomBytes(3).toString("hex")}`;
    printCreated(io, out, await client.createToken(name, "runner"), "Created");
    return EXIT.ok;
  },
});

export const tokensListCommand = defineCommand<TokenOptions & { all?: boolean }>({
  path: ["tokens", "list"],
  description: "List the stack's tokens: names, scopes, creation and last use (never their values)",
  options: [{ flags: "--all", description: "include revoked tokens" }, JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein tokens list", description: "the live tokens" },
    { command: "bernstein tokens list --all --json", description: "every token ever issued, as JSON" },
  ],
  async handler(_args, options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const tokens = await client.listTokens({ all: options.all === true });
    if (out.json) {
      out.data({ tokens });
      return EXIT.ok;
    }
    const rows = tokens.map((t) => [
      t.name,
      t.scope,
      t.createdAt.slice(0, 19).replace("T", " "),
      t.lastUsedAt ? t.lastUsedAt.slice(0, 19).replace("T", " ") : "never",
      ...(options.all ? [t.revokedAt ? `revoked ${t.revokedAt.slice(0, 19).replace("T", " ")}` : "live"] : []),
    ]);
    const header = ["NAME", "SCOPE", "CREATED", "LAST USED", ...(options.all ? ["STATE"] : [])];
    out.print(rows.length > 0 ? formatTable(header, rows) : "no tokens");
    return EXIT.ok;
  },
});

export const tokensRevokeCommand = defineCommand<TokenOptions>({
  path: ["tokens", "revoke"],
  description: "Revoke a token: the stack refuses it from the next request on",
  args: [{ name: "name", description: "the token's name (see `bernstein tokens list`)", required: true }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [{ command: "bernstein tokens revoke ci", description: "the runner token named ci stops working" }],
  async handler([name], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const revoked = await client.revokeToken(name as string);
    if (out.json) out.data(revoked);
    else out.print(`Revoked ${revoked.name}; the stack refuses it from now on.`);
    return EXIT.ok;
  },
});

export const tokensRotateCommand = defineCommand<TokenOptions & { admin?: boolean }>({
  path: ["tokens", "rotate"],
  description:
    "Give a token a new value (the old one stops working) and print it once; --admin rotates the admin token",
  args: [{ name: "name", description: "a runner token's name (or --admin)", required: false }],
  options: [
    {
      flags: "--admin",
      description: "rotate the admin token (stack.json of the local stack, or projects.json with --cloud, is updated)",
    },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein tokens rotate --admin", description: "a new admin token for this repo's stack" },
    { command: "bernstein tokens rotate ci", description: "a new value for the runner token ci" },
  ],
  async handler([name], options, { io, debug }) {
    if (options.admin === (name !== undefined)) {
      throw new BernsteinError("usage", "name one token to rotate, or pass --admin (not both)");
    }
    const { client, out } = await connect(io, options, debug);
    const created = await client.rotateToken(options.admin ? ADMIN_TOKEN_NAME : (name as string));
    if (options.admin) await rememberAdminToken(io, out, options, created.token);
    printCreated(io, out, created, "Rotated");
    return EXIT.ok;
  },
});

/**
 * The clients read the admin token from stack.json (the local stack) or projects.json (`--cloud`):
 * it holds the new one from now on. A deployed project keeps its first token as the bootstrap
 * value of the API_TOKEN secret, which the stack refuses once D1 holds an admin token.
 */
async function rememberAdminToken(io: CliIo, out: Output, options: CloudFlags, token: string): Promise<void> {
  if (options.cloud) {
    const target = await resolveCloudTarget(io.env, options.project);
    if (target.project === undefined) {
      out.note("Set BERNSTEIN_TOKEN to the new token: the old one no longer works.");
      return;
    }
    await updateProject(projectsFilePath(io.env), target.project, (record) =>
      record ? { ...record, bootstrapToken: record.bootstrapToken ?? record.apiToken, apiToken: token } : record,
    );
    return;
  }
  if (io.env.BERNSTEIN_URL) {
    out.note("Set BERNSTEIN_TOKEN to the new token: the old one no longer works.");
    return;
  }
  const { paths } = await openRepo(io, options.stateDir);
  const info = await runningStack(paths);
  if (info) await writeStackFile(paths.stackFile, { ...info, token });
}
