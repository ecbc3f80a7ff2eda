import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { LoginCode, RunEvent, RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  CALCULATOR_TASKS,
  calculatorFiles,
  calculatorScript,
  type DropProxy,
  readEvents,
  startDropProxy,
  uploadSnapshot,
} from "@bernstein/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/stack.js";
import { axeViolations, launchChromium, openPage } from "./browser.js";

// The dashboard in real headless Chromium against the real local stack (both Workers, D1, R2,
// Durable Objects, Workflows under Miniflare) with the scripted model. One stack and one
// browser serve every test here; each test signs in with a context (cookie jar) of its own.

const WAIT = { timeout: 90_000, interval: 100 };
/** Where `BERNSTEIN_SCREENSHOTS=docs/images` (from the repo root) writes the README's pictures. */
const SHOTS = process.env.BERNSTEIN_SCREENSHOTS;

let t: TestStack;
let browser: Browser;
let snapshot: string;
let approvals: RunView; // an --approve-all calculator run, driven through the tests below

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestStack(calculatorScript({ delayMs: 50 })), launchChromium()]);
  snapshot = (await uploadSnapshot(t, calculatorFiles())).sha256;
  approvals = await createRun({ approveAll: true });
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

// Each test's pages go with it: open pages keep polling and following runs.
afterEach(async () => {
  await Promise.all(browser?.contexts().map((context) => context.close()) ?? []);
});

async function createRun(extra: Record<string, unknown> = {}): Promise<RunView> {
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: CALCULATOR_GOAL, baseSnapshot: snapshot, plan: CALCULATOR_PLAN, ...extra }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as RunView;
}

/** A login link, as `bernstein dashboard` gets it (the same API call with the owner token). */
async function loginLink(runId: string | null, base = t.stack.url): Promise<string> {
  const res = await t.api("/v1/dashboard/logins", { method: "POST", body: JSON.stringify({ runId }) });
  expect(res.status).toBe(201);
  return `${base}${((await res.json()) as LoginCode).loginPath}`;
}

/** A new browser context signed in through a login link, on the page the link lands on. */
async function signedIn(runId: string | null, options: { base?: string; size?: "desktop" | "phone" } = {}) {
  const page = await openPage(browser, options.size);
  await page.goto(await loginLink(runId, options.base));
  await page.waitForURL(runId ? `**/runs/${runId}` : /\/$/);
  return page;
}

async function serverTaskStatus(taskId: string): Promise<string> {
  return ((await (await t.api(`/v1/tasks/${taskId}`)).json()) as { status: string }).status;
}

const rowStatus = (page: Page, taskId: string) =>
  page.locator(`tr[data-task="${taskId}"]`).getAttribute("data-status", { timeout: 5_000 });

function taskId(run: RunView, title: string): string {
  const task = run.tasks.find((x) => x.title === title);
  if (!task) throw new Error(`no task ${title}`);
  return task.id;
}

async function expectNoSeriousAxeViolations(page: Page, view: string) {
  const violations = await axeViolations(page);
  expect(violations, `${view}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function screenshot(page: Page, name: string, fullPage = false) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

// Generous: each test waits on agents and a browser, on a loaded 2-core machine.
describe("the dashboard in Chromium", { timeout: 240_000 }, () => {
  it("signs in through the login link: an HttpOnly, SameSite=Strict cookie and the run's page", async () => {
    const link = await loginLink(approvals.id);
    const page = await openPage(browser);
    await page.goto(link);
    await page.waitForURL(`**/runs/${approvals.id}`);
    expect(page.url()).not.toContain("code=");
    await page.getByRole("heading", { level: 1, name: approvals.id }).waitFor();
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false, path: "/" });
    expect(cookie?.value).not.toContain(t.stack.token);

    // The same link again, in another browser: refused with a page that says why, no cookie.
    const other = await openPage(browser);
    const reused = await other.goto(link);
    expect(reused?.status()).toBe(410);
    await other.getByRole("heading", { name: "This login link was already used" }).waitFor();
    expect(await other.context().cookies()).toEqual([]);
    await expectNoSeriousAxeViolations(other, "login refused");
    const api = await other.goto(`${t.stack.url}/v1/runs`);
    expect(api?.status()).toBe(401);
    await other.goto(`${t.stack.url}/runs/${approvals.id}`);
    await other.getByRole("heading", { name: "Sign in to the dashboard" }).waitFor();
  });

  it("lists the runs with status, progress, spend and age", async () => {
    const page = await signedIn(null);
    const row = page.locator(`tr[data-run="${approvals.id}"]`);
    await row.waitFor();
    expect(await row.locator(".badge").textContent()).toMatch(/^\S+ (planning|running|paused|completed)$/);
    expect(await row.textContent()).toMatch(/\d+\/3 merged/);
    expect(await row.textContent()).toMatch(/\$\d+\.\d{2,6}/);
    expect(await row.textContent()).toMatch(/ago/);
    await expectNoSeriousAxeViolations(page, "runs list");
    await page.getByRole("link", { name: approvals.id }).click();
    await page.waitForURL(`**/runs/${approvals.id}`);
  });

  it("shows a task's status change live, without a reload", async () => {
    const multiply = taskId(approvals, CALCULATOR_TASKS.multiply);
    await expect.poll(() => serverTaskStatus(multiply), WAIT).toBe("pending_approval");
    const page = await signedIn(approvals.id);
    await expect.poll(() => rowStatus(page, multiply), WAIT).toBe("pending_approval");
    await page.evaluate(() => Object.assign(window, { loadedOnce: true }));
    // Approved elsewhere (as `bernstein approve` does): the page hears it on the event stream.
    expect((await t.api(`/v1/tasks/${multiply}/approve`, { method: "POST" })).status).toBe(200);
    await expect.poll(() => rowStatus(page, multiply), WAIT).toBe("merged");
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await page.locator('output[data-live="live"]').count()).toBe(1);
  });

  it("approves a pending_approval task from the page, and it merges", async () => {
    const divide = taskId(approvals, CALCULATOR_TASKS.divide);
    const docs = taskId(approvals, CALCULATOR_TASKS.docs);
    const page = await signedIn(approvals.id);
    await expect.poll(() => rowStatus(page, divide), WAIT).toBe("pending_approval");
    await page.getByRole("button", { name: `Approve ${CALCULATOR_TASKS.divide}` }).click();
    await expect.poll(() => rowStatus(page, divide), WAIT).toBe("merged");
    expect(await serverTaskStatus(divide)).toBe("merged");
    // The docs task, which waited for both, comes up for approval: approve it on its own page.
    await expect.poll(() => rowStatus(page, docs), WAIT).toBe("pending_approval");
    await page.getByRole("link", { name: CALCULATOR_TASKS.docs }).first().click();
    await page.waitForURL(`**/tasks/${docs}`);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.locator('.badge[data-status="completed"]').waitFor(WAIT);
  });

  it("shows a merged task's patch as a diff with syntax colours, unified and side by side", async () => {
    await expect
      .poll(async () => ((await (await t.api(`/v1/runs/${approvals.id}`)).json()) as RunView).status, WAIT)
      .toBe("completed");
    const multiply = taskId(approvals, CALCULATOR_TASKS.multiply);
    const page = await signedIn(approvals.id);
    await page.getByRole("link", { name: CALCULATOR_TASKS.multiply }).first().click();
    await page.waitForURL(`**/tasks/${multiply}`);
    const file = page.locator('section.file-diff[data-file="src/multiply.js"]');
    await file.waitFor(WAIT);
    expect(await file.locator(".diff-code-insert").first().textContent()).toContain("Returns the product");
    expect(await file.locator(".diff-code-insert .token.keyword").count()).toBeGreaterThan(0);
    await page.getByLabel("Side by side").check();
    await page.locator("table.diff-split").first().waitFor();
    await page.getByLabel("Unified").check();
    await page.locator("table.diff-unified").first().waitFor();
    expect(await page.locator(".attempts tbody tr").count()).toBe(1);
    expect(await page.locator(".attempts tbody tr").textContent()).toMatch(/claude-sonnet-4-5.*\$\d/s);
    await screenshot(page, "dashboard-task-desktop");
    await expectNoSeriousAxeViolations(page, "task view (diff)");
    await page.getByRole("tab", { name: "Transcript" }).click();
    await page.locator(".transcript .role-assistant").first().waitFor();
    await expectNoSeriousAxeViolations(page, "task view (transcript)");

    // The run view, on a desktop and a phone, light and dark.
    await page.keyboard.press("Escape");
    await page.waitForURL(`**/runs/${approvals.id}`);
    await page.locator("svg.graph a[data-node]").first().waitFor();
    await page.locator(".plot-box canvas").waitFor();
    await expectNoSeriousAxeViolations(page, "run view");
    await screenshot(page, "dashboard-run-desktop", true);
    const phone = await signedIn(approvals.id, { size: "phone" });
    await phone.locator("svg.graph a[data-node]").first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoSeriousAxeViolations(phone, "run view (phone)");
    await screenshot(phone, "dashboard-run-phone");
    await phone.getByRole("link", { name: CALCULATOR_TASKS.multiply }).first().click();
    const phoneDiff = phone.locator('section.file-diff[data-file="src/multiply.js"]');
    await phoneDiff.waitFor(WAIT);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.evaluate(() => document.getElementById("attempts-title")?.scrollIntoView());
    await screenshot(phone, "dashboard-task-phone");
    await phone.emulateMedia({ colorScheme: "dark" });
    await expectNoSeriousAxeViolations(phone, "task view (phone, dark)");
    await screenshot(phone, "dashboard-task-phone-dark");
  });

  it("moves through the tasks with the keyboard, with a visible focus", async () => {
    const page = await signedIn(approvals.id);
    const first = page.locator("table.tasks a[data-nav]").first();
    await first.focus();
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    expect(focused).toBe(CALCULATOR_TASKS.divide);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/tasks/${taskId(approvals, CALCULATOR_TASKS.divide)}`);
  });

  it("keeps the page when a part of it fails to load, and says so there", async () => {
    const page = await openPage(browser);
    await page.route("**/assets/DependencyGraph-*.js", (route) => route.abort("connectionreset"));
    await page.goto(await loginLink(approvals.id));
    await page.getByRole("alert").filter({ hasText: "Could not show the graph" }).waitFor(WAIT);
    expect(await page.locator("table.tasks tbody tr").count()).toBe(3);
    await page.getByRole("button", { name: "Reload the page" }).waitFor();
  });

  it("refuses a cross-origin POST, and cancels the run from its own page", async () => {
    const run = await createRun({ approveAll: true });
    const page = await signedIn(run.id);
    // A page of another origin on this machine (same site: the cookie goes along) posts a cancel.
    const evil = await serveEvilPage(`${t.stack.url}/v1/runs/${run.id}/cancel`);
    try {
      const answer = page.waitForResponse((r) => r.url().endsWith(`/v1/runs/${run.id}/cancel`));
      await page.goto(evil.url);
      const response = await answer;
      expect(response.status()).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
    } finally {
      await evil.close();
    }
    expect(((await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView).status).not.toBe("cancelled");

    await page.goto(`${t.stack.url}/runs/${run.id}`);
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("button", { name: "Yes, cancel run" }).click();
    await page.locator('.badge[data-status="cancelled"]').first().waitFor(WAIT);
    const view = (await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView;
    expect(view.status).toBe("cancelled");
    for (const task of view.tasks) await expect.poll(() => rowStatus(page, task.id), WAIT).toBe("cancelled");
  });

  it("reconnects after the stream was cut, and loses or doubles no event", async () => {
    const proxy: DropProxy = await startDropProxy(t.stack.url);
    try {
      const run = await createRun({ approveAll: true });
      const page = await signedIn(run.id, { base: proxy.url });
      const [multiply, divide, docs] = [CALCULATOR_TASKS.multiply, CALCULATOR_TASKS.divide, CALCULATOR_TASKS.docs].map(
        (title) => taskId(run, title),
      ) as [string, string, string];
      await expect.poll(() => rowStatus(page, multiply), WAIT).toBe("pending_approval");
      // The page has all its code: only the event stream is cut, not a chunk still loading.
      await page.locator("svg.graph a[data-node]").first().waitFor(WAIT);
      await page.locator(".plot-box canvas").waitFor(WAIT);
      const opened = proxy.opened;
      expect(proxy.dropAll()).toBeGreaterThan(0);
      // Events happen while the page's stream is down; it must catch up with after=<last seq>.
      for (const id of [multiply, divide]) {
        await expect.poll(() => serverTaskStatus(id), WAIT).toBe("pending_approval");
        expect((await t.api(`/v1/tasks/${id}/approve`, { method: "POST" })).status).toBe(200);
      }
      await expect.poll(() => serverTaskStatus(docs), WAIT).toBe("pending_approval");
      expect((await t.api(`/v1/tasks/${docs}/approve`, { method: "POST" })).status).toBe(200);
      await page.locator('.badge[data-status="completed"]').waitFor(WAIT);
      expect(proxy.opened).toBeGreaterThan(opened);

      const events: RunEvent[] = await readEvents(t, run.id);
      const last = events[events.length - 1]?.seq;
      await expect.poll(() => page.locator("ol.activity").getAttribute("data-event-seq"), WAIT).toBe(String(last));
      const seqs = (await page.locator("ol.activity li").evaluateAll((items) => items.map((li) => li.dataset.seq)))
        .map(Number)
        .reverse();
      expect(seqs.length).toBeGreaterThan(10);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i)); // contiguous: nothing lost
      expect(seqs[seqs.length - 1]).toBe(last);
      for (const id of [multiply, divide, docs]) expect(await rowStatus(page, id)).toBe("merged");
    } finally {
      await proxy.close();
    }
  });

  it("renders a 200-task run's page (measured, not asserted)", async () => {
    const tasks = Array.from({ length: 200 }, (_, i) => ({
      id: `p${i}`,
      title: `Step ${String(i + 1).padStart(3, "0")} of the big plan`,
      description: "One of many.",
      depends_on: i < 10 ? [] : [`p${i - 10}`, ...(i % 3 === 0 ? [`p${i - 1}`] : [])],
    }));
    const run = await createRun({ plan: { tasks }, maxAgents: 1 });
    expect((await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" })).status).toBe(200);
    const page = await signedIn(null);
    await page.goto(`${t.stack.url}/runs/${run.id}`);
    const tableMs = await page.waitForFunction(
      () => document.querySelectorAll("table.tasks tbody tr").length === 200 && performance.now(),
      undefined,
      WAIT,
    );
    const graphMs = await page.waitForFunction(
      () => document.querySelectorAll("svg.graph a[data-node]").length === 200 && performance.now(),
      undefined,
      WAIT,
    );
    process.stderr.write(
      `[dashboard] 200-task run page: table and header after ${Math.round(Number(await tableMs.jsonValue()))} ms, ` +
        `dependency graph after ${Math.round(Number(await graphMs.jsonValue()))} ms (from navigation start)\n`,
    );
  });
});

/** A page on another loopback port whose form posts to `target` as soon as it loads. */
async function serveEvilPage(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><html lang="en"><title>elsewhere</title><body>
<form id="f" method="post" action="${target}"></form><script>document.getElementById("f").submit()</script></body></html>`;
  const server: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
