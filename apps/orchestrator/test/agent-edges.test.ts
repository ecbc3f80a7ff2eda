import type { RunView } from "@bernstein/core";
import { sha256, uploadSnapshot } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

/**
 * The agent's tools on the real stack, driven by a scripted model. The ReDoS of the issue: a scripted model sends `search {pattern:
 * "^(a+)+$"}` over a repository with a long line of `a`s (with a backtracking engine this froze
 * the whole stack, `/healthz` included). The search must answer within its budget; `/healthz`
 * is measured meanwhile and the figures printed (timing is reported, never asserted).
 */

const TITLE = "Search for runs of a";
const PATTERN = "^(a+)+$";
const ESCAPER = "Try to leave the repository";
const ESCAPES = [
  { name: "write_file", input: { path: "../outside.txt", content: "x" } },
  { name: "write_file", input: { path: "/etc/cron.d/x", content: "x" } },
  { name: "write_file", input: { path: "sub/.git/config", content: "[core]\n\tfsmonitor = touch /tmp/x\n" } },
  { name: "write_file", input: { path: ".GIT/hooks/pre-commit", content: "x" } },
  { name: "write_file", input: { path: "link/escape.txt", content: "x" } },
  { name: "write_file", input: { path: "link", content: "/etc/passwd" } },
  { name: "read_file", input: { path: "../../etc/passwd" } },
  { name: "read_file", input: { path: "link" } },
  { name: "search", input: { pattern: "root", path: "../" } },
  { name: "delete_file", input: { path: ".git/config" } },
  { name: "list_files", input: { path: "../.." } },
];

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({
    tasks: {
      // Five searches in a row, so /healthz is probed while they run.
      [TITLE]: [
        ...Array.from({ length: 5 }, () => ({ tools: [{ name: "search", input: { pattern: PATTERN } }] })),
        { tools: [{ name: "finish", input: { summary: "Searched." } }] },
      ],
      [ESCAPER]: [{ tools: ESCAPES }, { tools: [{ name: "finish", input: { summary: "Tried." } }] }],
    },
  });
}, 60_000);
afterAll(() => t?.stop());

describe("a model that tries to leave the repository", () => {
  it("gets a tool error for every try, and the result holds nothing outside", async () => {
    const link = "../../../../etc";
    const snapshot = await uploadSnapshot(t, { "README.md": "# r\n" });
    // A symlink pointing out of the tree is refused on the way in, so the base gets a safe one.
    const manifest = { ...snapshot.manifest };
    const target = "README.md";
    const put = await t.api(`/v1/blobs/${sha256(target)}`, {
      method: "PUT",
      body: target,
      headers: { "content-type": "application/octet-stream" },
    });
    expect([200, 201]).toContain(put.status);
    const withLink = { ...manifest, link: { sha256: sha256(target), mode: "120000", size: target.length } };
    const outside = await t.api("/v1/snapshots", {
      method: "POST",
      body: JSON.stringify({
        manifest: { ...manifest, bad: { ...withLink.link, sha256: sha256(link), size: link.length } },
      }),
    });
    expect(outside.status).toBe(400);
    const snap = (await (
      await t.api("/v1/snapshots", { method: "POST", body: JSON.stringify({ manifest: withLink }) })
    ).json()) as {
      sha256: string;
    };
    const created = await t.api("/v1/runs", {
      method: "POST",
      body: JSON.stringify({
        goal: "escape",
        baseSnapshot: snap.sha256,
        plan: { tasks: [{ id: "t1", title: ESCAPER, description: "escape" }] },
      }),
    });
    const runId = ((await created.json()) as RunView).id;
    let view: RunView | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      view = (await (await t.api(`/v1/runs/${runId}`)).json()) as RunView;
      if (view.status === "completed" || view.status === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(view?.status).toBe("completed");
    const next = t.model.requests.find((r) => r.key === ESCAPER && r.turn === 1);
    const messages = (next as { body: { messages: { content: { is_error?: boolean; content: unknown }[] }[] } }).body
      .messages;
    const results = messages.at(-1)?.content ?? [];
    expect(results).toHaveLength(ESCAPES.length);
    for (const [i, result] of results.entries()) expect(result.is_error, JSON.stringify(ESCAPES[i])).toBe(true);
    // Nothing the model tried reached the run's result.
    const result = (await (await t.api(`/v1/runs/${runId}/result`)).json()) as { merges: { manifest: string }[] };
    for (const merge of result.merges) {
      const tree = (await (await t.api(`/v1/snapshots/${merge.manifest}`)).json()) as {
        manifest: Record<string, unknown>;
      };
      expect(Object.keys(tree.manifest).sort()).toEqual(["README.md", "link"]);
    }
  }, 120_000);
});

describe("a catastrophic pattern from the model", () => {
  it("is answered within the search's budget while /healthz keeps answering", async () => {
    const snapshot = await uploadSnapshot(t, { "aaaa.txt": `${"a".repeat(1_000_000)}!\n`, "README.md": "# a\n" });
    const created = await t.api("/v1/runs", {
      method: "POST",
      body: JSON.stringify({
        goal: "search",
        baseSnapshot: snapshot.sha256,
        plan: { tasks: [{ id: "t1", title: TITLE, description: "search" }] },
      }),
    });
    const runId = ((await created.json()) as RunView).id;
    // The same probes on the idle stack first: what /healthz costs on this machine right now.
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await t.api("/healthz", { auth: false });
      idle.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const latencies: number[] = [];
    let status = "";
    const probing = (async () => {
      while (status !== "completed" && status !== "failed") {
        const started = performance.now();
        expect((await t.api("/healthz", { auth: false })).status).toBe(200);
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    while (status !== "completed" && status !== "failed") {
      status = ((await (await t.api(`/v1/runs/${runId}`)).json()) as RunView).status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await probing;
    expect(status).toBe("completed");
    // The search's answer, as the model received it in its next turn.
    for (let turn = 1; turn <= 5; turn++) {
      const next = t.model.requests.find((r) => r.key === TITLE && r.turn === turn);
      expect(next, `turn ${turn}`).toBeDefined();
      const messages = (next as { body: { messages: { content: unknown }[] } }).body.messages;
      const result = JSON.stringify(messages.at(-1)?.content);
      expect(result).toContain("no matches");
      expect(result).not.toContain("is_error");
    }
    const figures = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1);
      return `${sorted.length} probes, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
    };
    // biome-ignore lint/suspicious/noConsole: the figure the issue asks for (measured, not asserted)
    console.log(
      `redos: /healthz idle: ${figures(idle)}; during 5 searches of ${PATTERN} over a 1 MB line: ${figures(latencies)}`,
    );
  }, 120_000);
});
