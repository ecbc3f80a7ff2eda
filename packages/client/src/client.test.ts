import { caughtError, closedPort } from "@bernstein/testing";
import { describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { normalizeBaseUrl } from "./transport.js";

// Checks that need no server at all; everything that talks to a stack is in test/, against the
// real local stack.

describe("createClient without a stack", () => {
  it("names the URL (without credentials) when nothing listens", async () => {
    const port = await closedPort();
    const client = createClient({ baseUrl: `http://user:pw@127.0.0.1:${port}/`, token: "tok_secret_123456" });
    const error = await caughtError(client.health());
    expect(error.code).toBe("stack_unreachable");
    expect(error.message).toBe(`cannot reach the Bernstein stack at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toMatch(/pw|tok_secret/);
  });

  it("refuses an invalid run request before sending it", async () => {
    const port = await closedPort();
    const error = await caughtError(
      createClient({ baseUrl: `http://127.0.0.1:${port}` }).createRun({ goal: "", baseSnapshot: "x" }),
    );
    expect(error.code).toBe("invalid_body");
  });

  it("refuses a base URL that is not http(s)", () => {
    expect(() => createClient({ baseUrl: "ftp://x" })).toThrow(/http or https/);
    expect(() => createClient({ baseUrl: "not a url" })).toThrow(/is not a URL/);
  });
});

describe("normalizeBaseUrl", () => {
  it("strips credentials, query, hash and trailing slashes", () => {
    expect(normalizeBaseUrl("https://a:b@stack.example.com/base///?x=1#y")).toBe("https://stack.example.com/base");
  });
});
