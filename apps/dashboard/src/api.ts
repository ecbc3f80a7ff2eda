import { createClient } from "@bernstein/client";

/**
 * The same typed client the CLI uses, on the dashboard's own origin: no token, the browser
 * sends the session cookie. Same calls, same `{error:{code,message}}` errors as the CLI.
 */
export const client = createClient({ baseUrl: window.location.origin });
