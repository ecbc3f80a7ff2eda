import { BernsteinError, CreateLoginRequest, type LoginCode, type RunSummary } from "@bernstein/core";
import { createDb, getRunProgress, listRuns } from "@bernstein/db";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";
import { createLoginCode, endSession, type LoginRefusal, loginCodeTtlSeconds, startSession } from "../http/session.js";
import { clearedSessionCookie, sessionCookie } from "../http/session-cookie.js";
import { requireRun } from "../runs/require-run.js";

const NO_STORE = { "cache-control": "no-store", "referrer-policy": "no-referrer" };

/**
 * The dashboard's sign-in: `bernstein dashboard` asks for a one-time code with the admin
 * token, the browser exchanges it at `/login` for a session cookie, `/logout` ends it.
 */
export const dashboardRoutes: Route[] = [
  route({
    method: "POST",
    path: "/v1/dashboard/logins",
    access: "admin",
    body: jsonBody(CreateLoginRequest, 4096),
    async handler({ env, principal, body }) {
      // A session reads what the admin reads, but cannot mint more sessions.
      if (principal?.kind !== "admin") {
        throw new BernsteinError("forbidden", "only the stack's admin token can create dashboard login links");
      }
      const { runId } = body;
      if (runId) await requireRun(createDb(env.STATE_DB), runId);
      const { code, expiresAt } = await createLoginCode(env, runId);
      const answer: LoginCode = {
        code,
        loginPath: `/login?code=${encodeURIComponent(code)}`,
        landingPath: landing(runId),
        expiresAt,
      };
      return Response.json(answer, { status: 201, headers: NO_STORE });
    },
  }),

  /** The runs list with each run's progress (the plain `GET /v1/runs` has no task counts). */
  route({
    method: "GET",
    path: "/v1/dashboard/runs",
    access: "admin",
    body: NO_BODY,
    async handler({ env }) {
      const db = createDb(env.STATE_DB);
      const runs = await listRuns(db, { limit: 100 });
      const progress = await getRunProgress(
        db,
        runs.map((r) => r.id),
      );
      const summaries: RunSummary[] = runs.map((run) => ({
        ...run,
        progress: progress.get(run.id) ?? { total: 0, merged: 0, unmerged: 0 },
      }));
      return { runs: summaries };
    },
  }),

  route({
    method: "GET",
    path: "/login",
    access: "public",
    body: NO_BODY,
    async handler({ request, env }) {
      const code = new URL(request.url).searchParams.get("code");
      const result = code ? await startSession(env, code) : ({ ok: false, reason: "unknown" } as const);
      if (!result.ok) return refusedPage(result.reason, loginCodeTtlSeconds(env));
      const url = new URL(request.url);
      return new Response(null, {
        status: 303,
        headers: { ...NO_STORE, location: landing(result.runId), "set-cookie": sessionCookie(url, result.secret) },
      });
    },
  }),

  route({
    method: "POST",
    path: "/logout",
    access: "public",
    body: NO_BODY,
    async handler({ request, env }) {
      const url = new URL(request.url);
      if (request.headers.get("origin") !== url.origin) {
        throw new BernsteinError("forbidden", "a cross-origin request cannot sign the dashboard out");
      }
      await endSession(request, env);
      return new Response(null, {
        status: 303,
        headers: { ...NO_STORE, location: "/signed-out", "set-cookie": clearedSessionCookie(url) },
      });
    },
  }),
];

function landing(runId: string | null): string {
  return runId ? `/runs/${runId}` : "/";
}

const REFUSALS: Record<LoginRefusal, { status: number; title: string; text: (ttl: number) => string }> = {
  used: {
    status: 410,
    title: "This login link was already used",
    text: () => "A login link works once. If that was not you, someone else may have opened it.",
  },
  expired: {
    status: 410,
    title: "This login link has expired",
    text: (ttl) => `A login link works for ${Math.round(ttl / 60) || 1} minute(s) after it was printed.`,
  },
  unknown: {
    status: 400,
    title: "This login link is not valid",
    text: () => "The code in the link is not one this stack issued (the link may be cut short).",
  },
};

/** The clear page a refused login link gets (no cookie is set). */
function refusedPage(reason: LoginRefusal, ttlSeconds: number): Response {
  const { status, title } = REFUSALS[reason];
  const text = REFUSALS[reason].text(ttlSeconds);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${title} · Bernstein</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}code{font-size:0.95em}</style>
</head><body><main><h1>${title}</h1><p>${text}</p>
<p>Run <code>bernstein dashboard</code> in your repository for a new link.</p></main></body></html>
`;
  return new Response(html, {
    status,
    headers: {
      ...NO_STORE,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "x-login-refused": reason,
    },
  });
}
