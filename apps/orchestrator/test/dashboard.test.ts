import type { LoginCode, RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  calculatorScript,
  uploadSnapshot,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookie, sessionCookieName } from "../src/http/session-cookie.js";
import { startTestStack, type TestStack } from "./support/stack.js";

let t: TestStack;
let run: RunView;

beforeAll(async () => {
  // Links expire after a second here, so a test can see one expire.
  t = await startTestStack(calculatorScript({ delayMs: 200 }), { LOGIN_CODE_TTL_SECONDS: "1" });
  const snapshot = await uploadSnapshot(t, calculatorFiles());
  const res = await t.api("/v1/runs", {
    method: "POST",
    // Every task waits for approval: the run stays open, so adding budget to it is allowed
    // however slowly the tests before get there.
    body: JSON.stringify({
      goal: CALCULATOR_GOAL,
      baseSnapshot: snapshot.sha256,
      plan: CALCULATOR_PLAN,
      approveAll: true,
    }),
  });
  run = (await res.json()) as RunView;
}, 60_000);
afterAll(() => t?.stop());

const origin = () => t.stack.url;

async function newCode(runId: string | null = run.id): Promise<LoginCode> {
  const res = await t.api("/v1/dashboard/logins", { method: "POST", body: JSON.stringify({ runId }) });
  expect(res.status).toBe(201);
  return (await res.json()) as LoginCode;
}

/** Signs in with a fresh code: the `name=value` of the session cookie. */
async function signIn(): Promise<string> {
  const res = await fetch(`${origin()}${(await newCode()).loginPath}`, { redirect: "manual" });
  expect(res.status).toBe(303);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

describe("the dashboard's static files", () => {
  it("serves the app at / and at its own paths, with a strict content security policy", async () => {
    for (const path of ["/", `/runs/${run.id}`, `/runs/${run.id}/tasks/${run.tasks[0]?.id}`]) {
      const res = await fetch(`${origin()}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain('<div id="root">');
    }
    const html = await (await fetch(`${origin()}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = await fetch(`${origin()}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
  });

  it("keeps the API's JSON errors under /v1 and off the app's paths", async () => {
    const elsewhere = await fetch(`${origin()}/etc/passwd`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: { code: "not_found" } });
    const res = await fetch(`${origin()}/v1/nope`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    const missing = await t.api("/v1/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("login links", () => {
  it("are made only with the owner token, for a run that exists", async () => {
    const anonymous = await t.api("/v1/dashboard/logins", { method: "POST", body: "{}", auth: false });
    expect(anonymous.status).toBe(401);
    const unknown = await t.api("/v1/dashboard/logins", {
      method: "POST",
      body: JSON.stringify({ runId: "r_000000000000" }),
    });
    expect(unknown.status).toBe(404);
    const code = await newCode(null);
    expect(code).toMatchObject({ landingPath: "/", loginPath: `/login?code=${code.code}` });
    expect(Date.parse(code.expiresAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("sign in once: a session cookie (HttpOnly, SameSite=Strict, 12 h) and a redirect to the run", async () => {
    const code = await newCode();
    expect(code.landingPath).toBe(`/runs/${run.id}`);
    const res = await fetch(`${origin()}${code.loginPath}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/runs/${run.id}`);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${sessionCookieName(new URL(origin()))}=[A-Za-z0-9_-]{43}; `));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Max-Age=43200");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure"); // plain http on loopback; see the https case below
    expect(cookie).not.toContain(code.code);

    const runs = await fetch(`${origin()}/v1/runs`, { headers: { cookie: cookie.split(";")[0] as string } });
    expect(runs.status).toBe(200);

    const again = await fetch(`${origin()}${code.loginPath}`, { redirect: "manual" });
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain("This login link was already used");
  });

  it("refuse an expired code and a made-up one, each with a page that says why", async () => {
    const code = await newCode();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the stack's links live 1 s
    const expired = await fetch(`${origin()}${code.loginPath}`, { redirect: "manual" });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("This login link has expired");
    const madeUp = await fetch(`${origin()}/login?code=not-a-code`, { redirect: "manual" });
    expect(madeUp.status).toBe(400);
    expect(await madeUp.text()).toContain("This login link is not valid");
    const none = await fetch(`${origin()}/login`, { redirect: "manual" });
    expect(none.status).toBe(400);
  });

  it("are Secure and __Host- prefixed when the stack is served over https", () => {
    const deployed = new URL("https://bernstein-demo-orchestrator.example.workers.dev/login");
    expect(sessionCookie(deployed, "s3cret")).toBe(
      "__Host-bernstein_session=s3cret; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure",
    );
  });
});

describe("a dashboard session", () => {
  it("changes state only from its own origin, and only through the dashboard's actions", async () => {
    const cookie = await signIn();
    const post = (path: string, headers: Record<string, string>, body = "{}") =>
      fetch(`${origin()}${path}`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body,
      });
    const noOrigin = await post(`/v1/runs/${run.id}/budget`, {}, '{"addUsd":1}');
    expect(noOrigin.status).toBe(403);
    const foreign = await post(`/v1/runs/${run.id}/budget`, { origin: "http://127.0.0.1:1" }, '{"addUsd":1}');
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(((await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView).budgetUsd).toBeNull();

    const own = await post(`/v1/runs/${run.id}/budget`, { origin: origin() }, '{"addUsd":1}');
    expect(own.status).toBe(200);
    expect(((await own.json()) as RunView).budgetUsd).toBeGreaterThanOrEqual(1);

    const createRun = await post("/v1/runs", { origin: origin() });
    expect(createRun.status).toBe(403);
    const mint = await post("/v1/dashboard/logins", { origin: origin() });
    expect(mint.status).toBe(403);
    const claim = await post("/v1/runners/jobs/claim", { origin: origin() });
    expect(claim.status).toBe(403);
  });

  it("ends at log out: the cookie is cleared and no longer opens anything", async () => {
    const cookie = await signIn();
    const foreign = await fetch(`${origin()}/logout`, { method: "POST", headers: { cookie, origin: "http://evil" } });
    expect(foreign.status).toBe(403);
    const out = await fetch(`${origin()}/logout`, {
      method: "POST",
      headers: { cookie, origin: origin() },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/signed-out");
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    const after = await fetch(`${origin()}/v1/runs`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: "unauthorized" } });
  });
});
