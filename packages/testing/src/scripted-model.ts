import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { handleAnthropic } from "./anthropic-handler.js";
import { type Reply, readBody, redactHeaders, writeReply } from "./http-io.js";
import { handleOpenAI } from "./openai-handler.js";
import type { ModelScript, RecordedRequest, ScriptedModel, ScriptedModelOptions, ScriptedProvider } from "./script.js";
import type { ScriptedServerState } from "./server-state.js";

type Handler = (state: ScriptedServerState, req: IncomingMessage, raw: string) => Reply;

const ROUTES: Record<string, { provider: ScriptedProvider; handle: Handler }> = {
  "/v1/messages": { provider: "anthropic", handle: handleAnthropic },
  "/chat/completions": { provider: "openai", handle: handleOpenAI },
  "/v1/chat/completions": { provider: "openai", handle: handleOpenAI },
};

interface Outage {
  answer: number | "reset";
  retryAfterSeconds?: number;
}

/** The error body each provider sends when it is down or overloaded. */
function outageBody(provider: ScriptedProvider, status: number): unknown {
  if (status === 401) {
    // A key revoked while the run goes on: what each provider says to a key it does not know.
    return provider === "openai"
      ? {
          error: {
            message: "Incorrect API key provided.",
            type: "invalid_request_error",
            param: null,
            code: "invalid_api_key",
          },
        }
      : { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } };
  }
  const message = status === 429 ? "rate limited (scripted outage)" : "the model is unavailable (scripted outage)";
  if (provider === "openai") return { error: { message, type: "server_error", param: null, code: null } };
  const type = status === 429 ? "rate_limit_error" : status === 529 ? "overloaded_error" : "api_error";
  return { type: "error", error: { type, message } };
}

function safeParse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // Recorded as the raw text: a malformed body is itself what the test wants to see.
    return raw;
  }
}

/**
 * Starts a loopback server that answers Anthropic Messages and OpenAI Chat Completions
 * requests from a script, validating them like the real services.
 */
export async function startScriptedModel(
  script: ModelScript,
  options: ScriptedModelOptions = {},
): Promise<ScriptedModel> {
  const state: ScriptedServerState = { script, options, failuresServed: new Map(), serial: 0 };
  const requests: RecordedRequest[] = [];
  const holds = new Set<{ which: (request: RecordedRequest) => boolean; released: Promise<void> }>();
  let down: Outage | undefined;

  function serveOutage(
    req: IncomingMessage,
    res: ServerResponse,
    provider: ScriptedProvider,
    path: string,
    raw: string,
    outage: Outage,
  ): void {
    const status = outage.answer === "reset" ? 0 : outage.answer;
    requests.push({
      provider,
      path,
      key: "outage",
      turn: -1,
      stream: false,
      status,
      exhausted: false,
      body: safeParse(raw),
      headers: redactHeaders(req),
      at: Date.now(),
    });
    if (outage.answer === "reset") {
      res.socket?.destroy();
      return;
    }
    const headers = outage.retryAfterSeconds === undefined ? {} : { "retry-after": String(outage.retryAfterSeconds) };
    res.writeHead(outage.answer, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(outageBody(provider, outage.answer)));
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const route = ROUTES[path];
    const raw = await readBody(req);
    if (route === undefined || req.method !== "POST") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "not_found_error", message: `no route for ${req.method} ${path}` } }));
      return;
    }
    if (down !== undefined) {
      serveOutage(req, res, route.provider, path, raw, down);
      return;
    }
    state.serial += 1;
    const reply = route.handle(state, req, raw);
    const recorded: RecordedRequest = {
      provider: route.provider,
      path,
      key: reply.key,
      turn: reply.turn,
      stream: reply.stream,
      status: reply.status,
      exhausted: reply.exhausted,
      body: safeParse(raw),
      headers: redactHeaders(req),
      at: Date.now(),
    };
    requests.push(recorded);
    const wait = (options.latencyMs ?? 0) + (reply.delayMs ?? 0);
    if (wait > 0) await sleep(wait);
    for (const hold of holds) if (hold.which(recorded)) await hold.released;
    await writeReply(res, reply);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the test loudly, as a 500 the client sees.
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: `scripted model crashed: ${String(error)}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    hold: (which = () => true) => {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const hold = { which, released };
      holds.add(hold);
      return () => {
        holds.delete(hold);
        release();
      };
    },
    outage: (answer, outageOptions = {}) => {
      const outage: Outage = { answer, ...outageOptions };
      down = outage;
      return () => {
        if (down === outage) down = undefined;
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
