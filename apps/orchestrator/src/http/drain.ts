import { logger } from "../logger.js";

/** Largest unread request body drained after answering (beyond it, the connection is closed). */
// Above the largest body a route takes (32 MiB), so a body just over a limit is still read.
const DRAIN_LIMIT = 48 * 1024 * 1024;

/**
 * Reads whatever the route left of the request body before the answer goes out. A body left
 * unread makes workerd drop the keep-alive connection after the answer, and a client that
 * already sent its next request on it sees ECONNRESET; a body beyond `DRAIN_LIMIT` is not
 * worth reading, so the answer says `Connection: close` instead.
 */
export async function drainRequest(request: Request, response: Response): Promise<Response> {
  if (!request.body || request.bodyUsed) return response;
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > DRAIN_LIMIT) return closing(response); // not worth reading, nor waiting for
  const reader = request.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return response;
      total += value.byteLength;
      if (total > DRAIN_LIMIT) break;
    }
  } catch (error) {
    // The client went away mid-body: this connection cannot be reused.
    logger.info("request body ended early", { error: error instanceof Error ? error.message : String(error) });
    return closing(response);
  }
  await reader.cancel();
  return closing(response);
}

function closing(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("connection", "close");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
