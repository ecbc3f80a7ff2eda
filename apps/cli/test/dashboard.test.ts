import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  startTestStack,
  type TestStack,
  uploadSnapshot,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/run-cli.js";

// `bernstein dashboard` in process against the real local stack (BERNSTEIN_URL).
let t: TestStack;
let repo: FixtureRepo;
let scratch: string;
let older: RunView;
let newest: RunView;
let env: Record<string, string>;

const cli = (...argv: string[]) => runInProcess(argv, { cwd: repo.dir, env });

beforeAll(async () => {
  t = await startTestStack({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    script: calculatorScript(),
  });
  repo = await createFixtureRepo("calculator");
  scratch = mkdtempSync(join(tmpdir(), "bernstein-cli-dashboard-"));
  env = { BERNSTEIN_URL: t.stack.url, BERNSTEIN_TOKEN: t.stack.token, NO_COLOR: "1" };
  const snapshot = await uploadSnapshot(t, calculatorFiles());
  const create = async () => {
    const body = { goal: CALCULATOR_GOAL, baseSnapshot: snapshot.sha256, plan: CALCULATOR_PLAN, approveAll: true };
    const res = await t.api("/v1/runs", { method: "POST", body: JSON.stringify(body) });
    return (await res.json()) as RunView;
  };
  older = await create();
  newest = await create();
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await repo?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("bernstein dashboard", () => {
  it("--json prints {url, login_url, expires_at}: a one-time link to the newest run, without the token", async () => {
    const result = await cli("dashboard", "--json", "--no-open");
    expect(result.code, result.stderr).toBe(0);
    const link = JSON.parse(result.stdout) as { url: string; login_url: string; expires_at: string };
    expect(Object.keys(link).sort()).toEqual(["expires_at", "login_url", "url"]);
    expect(link.url).toBe(`${t.stack.url}/runs/${newest.id}`);
    expect(link.login_url).toMatch(new RegExp(`^${t.stack.url}/login\\?code=[A-Za-z0-9_-]{43}$`));
    expect(`${result.stdout}${result.stderr}`).not.toContain(t.stack.token);
    expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.now());

    const first = await fetch(link.login_url, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`/runs/${newest.id}`);
    expect(first.headers.get("set-cookie")).toContain("HttpOnly");
    expect((await fetch(link.login_url, { redirect: "manual" })).status).toBe(410);
  });

  it("lands on the run it names, and refuses a run the stack does not have", async () => {
    const result = await cli("dashboard", older.id, "--no-open");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Dashboard:  ${t.stack.url}/runs/${older.id}`);
    expect(result.stdout).toMatch(/Login link: http:\/\/127\.0\.0\.1:\d+\/login\?code=/);
    expect(result.stderr).toContain("The link works once");

    const missing = await cli("dashboard", "r_000000000000", "--no-open");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: not_found: no run r_000000000000/);
  });

  it("opens the login link with $BROWSER unless --no-open", async () => {
    const opened = join(scratch, "opened.txt");
    const browser = join(scratch, "browser.sh");
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(browser, 0o755);
    const result = await runInProcess(["dashboard", "--json"], { cwd: repo.dir, env: { ...env, BROWSER: browser } });
    expect(result.code, result.stderr).toBe(0);
    const { login_url } = JSON.parse(result.stdout) as { login_url: string };
    await expect.poll(() => existsSync(opened) && readFileSync(opened, "utf8"), { timeout: 10_000 }).toBe(login_url);
  });

  it("says how to get a deployed stack for --cloud when none is deployed from this machine", async () => {
    const result = await runInProcess(["dashboard", "--cloud", "--no-open"], {
      cwd: repo.dir,
      env: { NO_COLOR: "1", XDG_CONFIG_HOME: scratch },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: unknown_project: no project is deployed from this machine/);
    expect(result.stderr).toContain("bernstein cloud deploy");
  });
});
