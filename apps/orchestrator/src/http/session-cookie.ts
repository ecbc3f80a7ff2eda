/** How long a dashboard session lasts. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * The cookie's name. Deployed (https) it is `__Host-` prefixed, which the browser accepts only
 * with `Secure`, `Path=/` and no `Domain`. Locally it names the port: cookies are not kept
 * apart by port, and two local stacks must not sign each other out.
 */
export function sessionCookieName(url: URL): string {
  return url.protocol === "https:" ? "__Host-bernstein_session" : `bernstein_session_${url.port || "80"}`;
}

/** `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Secure when served over https. */
export function sessionCookie(url: URL, secret: string, maxAgeSeconds: number = SESSION_TTL_SECONDS): string {
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return `${sessionCookieName(url)}=${secret}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

/** `Set-Cookie` that removes the session cookie (log out). */
export function clearedSessionCookie(url: URL): string {
  return sessionCookie(url, "", 0);
}

/** The session secret the request carries, if any. */
export function readSessionCookie(request: Request): string | undefined {
  const name = sessionCookieName(new URL(request.url));
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
