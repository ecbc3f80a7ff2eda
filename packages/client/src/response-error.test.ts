import { describe, expect, it } from "vitest";
import { errorFromResponse, unreachableError } from "./response-error.js";

const BASE = "http://127.0.0.1:8787";

describe("errorFromResponse", () => {
  it("takes code and message from an {error:{code,message}} body and keeps the status", async () => {
    const body = JSON.stringify({ error: { code: "illegal_transition", message: "task is merged" } });
    const error = await errorFromResponse(new Response(body, { status: 409 }), "POST", "/v1/tasks/x/cancel", BASE);
    expect(error).toMatchObject({ code: "illegal_transition", message: "task is merged", details: { status: 409 } });
  });

  it.each([
    [502, "stack_unreachable"],
    [503, "stack_unreachable"],
    [401, "unauthorized"],
    [404, "not_found"],
    [500, "internal"],
  ])("maps a bare HTTP %i (a proxy's HTML page) to %s", async (status, code) => {
    const error = await errorFromResponse(
      new Response("<html>bad gateway</html>", { status }),
      "GET",
      "/v1/runs",
      BASE,
    );
    expect(error.code).toBe(code);
    expect(error.message).toContain(`GET /v1/runs failed with HTTP ${status}`);
    expect(error.message).toContain("<html>bad gateway</html>");
  });
});

describe("unreachableError", () => {
  it("names the URL and the socket error", () => {
    const cause = new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    const error = unreachableError(BASE, cause, 60_000);
    expect(error).toMatchObject({ code: "stack_unreachable", details: { url: BASE } });
    expect(error.message).toBe(`cannot reach the Bernstein stack at ${BASE} (ECONNREFUSED)`);
  });

  it("says how long it waited for a timeout", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(unreachableError(BASE, timeout, 2_000).message).toMatch(/no answer within 2 s/);
  });
});
