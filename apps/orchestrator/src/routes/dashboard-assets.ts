import type { Env } from "../env.js";

/** Headers every dashboard page gets: its scripts and data come from its own origin only. */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** The app's own pages (index.html, its router shows them) and its built files. */
const DASHBOARD_PATH = /^\/(|runs(\/.*)?|signed-out|assets\/.+|favicon\.(ico|svg))$/;

/**
 * The dashboard's static files (Workers Static Assets, the `ASSETS` binding) for GET and HEAD
 * of its paths; the app's pages get its index.html (`not_found_handling`). Undefined when the
 * Worker has no assets or the path is not the dashboard's: that stays the API's 404.
 */
export async function serveDashboard(request: Request, env: Env): Promise<Response | undefined> {
  if (!env.ASSETS || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  if (!DASHBOARD_PATH.test(new URL(request.url).pathname)) return undefined;
  // A fresh request: the router hands handlers a proxy of the Request, which fetch() refuses.
  const asset = await env.ASSETS.fetch(request.url, { method: request.method, headers: request.headers });
  const response = new Response(asset.body, asset);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}
