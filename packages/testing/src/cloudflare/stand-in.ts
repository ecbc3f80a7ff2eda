import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IRequest, Router } from "itty-router";
import { LogLevel } from "miniflare";
import { ALL_PERMISSIONS, callerOf, type Permission } from "./auth.js";
import type { RouteContext, StandInRouter } from "./context.js";
import { ApiFailure, failure } from "./envelope.js";
import { closeServer, listen, toRequest, writeResponse } from "./node-http.js";
import { type RecordedApiRequest, recordOf } from "./record.js";
import { assetRoutes } from "./routes-assets.js";
import { d1Routes } from "./routes-d1.js";
import { r2Routes } from "./routes-r2.js";
import { scriptRoutes } from "./routes-scripts.js";
import { userRoutes } from "./routes-user.js";
import { workflowRoutes } from "./routes-workflows.js";
import { AccountRuntime } from "./runtime.js";
import type { AccountState } from "./state.js";

export interface CloudflareStandInOptions {
  /** Extra tokens and what each may do (the default token may do everything). */
  tokens?: Record<string, readonly Permission[]>;
  /** Directory for the uploaded modules and the persisted D1/R2/DO/Workflows state (a temp dir by default, removed on close). */
  dir?: string;
  /** Miniflare's log level for the uploaded Workers (default WARN). */
  logLevel?: LogLevel;
}

export interface CloudflareStandIn {
  /** What `CLOUDFLARE_API_BASE_URL` should be. */
  apiBaseUrl: string;
  accountId: string;
  /** A token with every permission. */
  token: string;
  /** workers.dev stand-in: `{script}` is replaced by the script name (`BERNSTEIN_WORKERS_DEV_URL_TEMPLATE`). */
  workersDevUrlTemplate: string;
  /** Every API request so far, in order (secret values replaced). */
  requests: RecordedApiRequest[];
  /** The account's resources (read them; change them only to stage a test). */
  account: AccountState;
  /** The Miniflare runtime of the deployed scripts (D1 and R2 handles for a test's own checks). */
  runtime: AccountRuntime;
  /** Grants a new token these permissions. */
  addToken(token: string, permissions: readonly Permission[]): void;
  close(): Promise<void>;
}

const API_PREFIX = "/client/v4";

/**
 * Starts a loopback stand-in of the Cloudflare API for one account: the endpoints wrangler 4
 * calls to deploy this stack (memberships, D1, R2, Worker uploads with static assets,
 * versions, deployments, Workflows, secrets, workers.dev), strict about tokens and upload
 * metadata, recording every request, and running what was uploaded under Miniflare, each
 * script served on its own
 * loopback workers.dev URL.
 */
export async function startCloudflareStandIn(options: CloudflareStandInOptions = {}): Promise<CloudflareStandIn> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "bernstein-cf-")));
  const token = `cf-stand-in-${crypto.randomUUID()}`;
  const tokens = new Map<string, readonly Permission[]>([[token, ALL_PERMISSIONS]]);
  for (const [value, permissions] of Object.entries(options.tokens ?? {})) tokens.set(value, permissions);
  const account: AccountState = {
    id: crypto.randomUUID().replaceAll("-", ""),
    name: "Stand-in account",
    subdomain: "stand-in",
    databases: new Map(),
    buckets: new Map(),
    scripts: new Map(),
    workflows: new Map(),
    assetBlobs: new Map(),
    assetSessions: new Map(),
  };
  const runtime = new AccountRuntime(account, dir, options.logLevel ?? LogLevel.WARN);
  const router: StandInRouter = Router<IRequest, [RouteContext]>({ base: API_PREFIX });
  userRoutes(router);
  d1Routes(router);
  r2Routes(router);
  scriptRoutes(router);
  assetRoutes(router);
  workflowRoutes(router);
  const requests: RecordedApiRequest[] = [];

  const api = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    const request = await toRequest(req, "http://127.0.0.1");
    const copy = request.clone();
    const context: RouteContext = { account, runtime, caller: callerOf(request, tokens) };
    let response: Response;
    try {
      response =
        ((await router.fetch(request, context)) as Response | undefined) ??
        failure(
          new ApiFailure(404, [
            { code: 7003, message: `No route for that URI: ${request.method} ${new URL(request.url).pathname}` },
          ]),
        );
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      response = failure(error);
    }
    requests.push(await recordOf(copy, response.status, context.caller.kind, API_PREFIX));
    await writeResponse(response, res);
  });

  const front = await listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, script = "", ...rest] = url.pathname.split("/");
    if (!runtime.runnable().has(script) || !account.scripts.get(script)?.subdomainEnabled) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`There is nothing here yet: no Worker ${script} is deployed on workers.dev.`);
      return;
    }
    const request = await toRequest(req, "http://127.0.0.1");
    // A redirect goes back to the caller, as workers.dev passes it on.
    const init: RequestInit = { method: request.method, headers: request.headers, redirect: "manual" };
    if (request.body) init.body = await request.arrayBuffer();
    const host = `${script}.${account.subdomain}.workers.dev`;
    await writeResponse(await runtime.fetch(host, `/${rest.join("/")}${url.search}`, init), res);
  });

  return {
    apiBaseUrl: `${api.origin}${API_PREFIX}`,
    accountId: account.id,
    token,
    workersDevUrlTemplate: `${front.origin}/{script}`,
    requests,
    account,
    runtime,
    addToken: (value, permissions) => tokens.set(value, permissions),
    async close() {
      await Promise.all([closeServer(api.server), closeServer(front.server)]);
      await runtime.close();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
