import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import stringWidth from "string-width";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startSpinner } from "../src/output/spinner.js";
import { formatTable } from "../src/output/table.js";
import { choosePort } from "../src/stack/port.js";
import { VERSION } from "../src/version.js";
import { makeRepo } from "./support/git-repo.js";
import { runInProcess } from "./support/run-cli.js";

// The conventions a user of gh and wrangler expects, through the real command parser.
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bernstein-conventions-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function repo() {
  const r = makeRepo({ "a.txt": "a\n" });
  cleanups.push(r.cleanup);
  return r;
}

/** Nothing was started: no stack description, no stack log. */
function expectNoStack(dir: string): void {
  expect(existsSync(join(dir, ".bernstein", "stack.json"))).toBe(false);
  expect(existsSync(join(dir, ".bernstein", "stack.log"))).toBe(false);
}

describe("version and help", () => {
  it.each([["-v"], ["--version"], ["version"]])("`bernstein %s` prints the version", async (flag) => {
    const result = await runInProcess([flag], { cwd: tempDir() });
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it("`help COMMAND...` shows that command's help and exits 0, for nested commands too", async () => {
    const run = await runInProcess(["help", "run"], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: bernstein run /);
    expect(run.stdout).toContain("Examples:");
    const status = await runInProcess(["help", "cloud", "status"], { cwd: tempDir() });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Usage: bernstein cloud status /);
    const unknown = await runInProcess(["help", "nope"], { cwd: tempDir() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: usage: unknown command "nope"');
  });

  it("takes --debug before the command", async () => {
    const result = await runInProcess(["--debug", "tasks"], { cwd: tempDir() });
    expect(result.stderr).not.toContain("unknown option");
    expect(result.stderr).toMatch(/^error: not_a_git_repo: /);
    expect(result.stderr).toMatch(/\n\s+at /); // the stack trace --debug asks for
  });

  it("marks required options in --help", async () => {
    expect((await runInProcess(["run", "--help"], { cwd: tempDir() })).stdout).toMatch(
      /--goal <text>\s+what the run should achieve \(required\)/,
    );
    expect((await runInProcess(["budget", "--help"], { cwd: tempDir() })).stdout).toMatch(/--add <usd>.*\(required\)/);
  });

  it("names an unknown option before a missing required one", async () => {
    const unknown = await runInProcess(["run", "--frobnicate"], { cwd: tempDir() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--frobnicate'");
    expect(unknown.stderr).not.toContain("--goal");
    const missing = await runInProcess(["run"], { cwd: tempDir() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: usage: required option '--goal <text>' not specified");
  });
});

describe("commands that only read", () => {
  it.each([
    ["tasks"],
    ["pull", "r_000000000000"],
    ["cost"],
    ["logs", "t_000000000000"],
    ["cloud", "status"],
    ["dashboard", "--no-open"],
  ])("`%s` never starts a stack: it says none is running and how to start one", async (...argv) => {
    const r = repo();
    const result = await runInProcess(argv, { cwd: r.dir, env: { ANTHROPIC_API_KEY: "sk-unused" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: stack_unreachable: no stack is running here/);
    expect(result.stderr).toContain("bernstein dev --detach");
    expect(result.stderr).toContain("bernstein run");
    expectNoStack(r.dir);
  });
});

describe("run checks what it can before it starts anything", () => {
  it("refuses a model without a key before starting a stack or uploading", async () => {
    const r = repo();
    const result = await runInProcess(["run", "--goal", "g"], { cwd: r.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: provider_not_configured: model anthropic\/\S+ needs ANTHROPIC_API_KEY/);
    expectNoStack(r.dir);
    const openai = await runInProcess(["run", "--goal", "g", "--model", "openai/gpt-5"], {
      cwd: r.dir,
      env: { ANTHROPIC_API_KEY: "sk-ant-x" },
    });
    expect(openai.stderr).toMatch(/^error: provider_not_configured: model openai\/gpt-5 needs OPENAI_API_KEY/);
    expectNoStack(r.dir);
  });

  it("reads bernstein.json with comments and trailing commas, and refuses a broken one (or --config) first", async () => {
    const r = repo();
    writeFileSync(
      join(r.dir, "bernstein.json"),
      '{\n  // checks\n  "$schema": "./bernstein.schema.json",\n  "verify": { "commands": ["npm test",] },\n}\n',
    );
    // Parsed: the next check (the model key) is what stops it.
    const parsed = await runInProcess(["run", "--goal", "g"], { cwd: r.dir });
    expect(parsed.stderr).toMatch(/^error: provider_not_configured: /);
    writeFileSync(join(r.dir, "broken.json"), '{\n  "verify": { "commands": [1 2] }\n}\n');
    const broken = await runInProcess(["run", "--goal", "g", "--config", "broken.json"], {
      cwd: r.dir,
      env: { ANTHROPIC_API_KEY: "sk-ant-x" },
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error: usage: broken\.json:2:30: CommaExpected/);
    const missing = await runInProcess(["run", "--goal", "g", "--config", "nope.json"], {
      cwd: r.dir,
      env: { ANTHROPIC_API_KEY: "sk-ant-x" },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: usage: cannot read \S+nope\.json/);
    writeFileSync(join(r.dir, "bernstein.json"), '{"verify": {"command": ["npm test"]}}');
    const typo = await runInProcess(["run", "--goal", "g"], { cwd: r.dir, env: { ANTHROPIC_API_KEY: "sk-ant-x" } });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: usage: bernstein\.json is invalid: .*command/);
    expectNoStack(r.dir);
  });
});

describe("waits off a terminal", () => {
  it("say what they wait for after a second, then at least every 10 s", () => {
    vi.useFakeTimers();
    let text = "";
    const spinner = startSpinner({ write: (chunk: string) => (text += chunk), isTTY: false }, "Starting the stack…");
    expect(text).toBe(""); // a quick wait stays silent
    vi.advanceTimersByTime(1_000);
    expect(text).toBe("Starting the stack…\n");
    vi.advanceTimersByTime(10_000);
    expect(text).toMatch(/\nStarting the stack… \(still waiting, \d+ s\)\n$/);
    spinner.update("Uploading 3/9 blobs…");
    const before = text.split("\n").length;
    vi.advanceTimersByTime(10_000);
    expect(text.split("\n").length).toBe(before + 1);
    expect(text).toMatch(/Uploading 3\/9 blobs… \(still waiting, \d+ s\)\n$/);
    spinner.stop("done");
    vi.advanceTimersByTime(60_000);
    expect(text.endsWith("done\n")).toBe(true);
  });
});

describe("dev's port", () => {
  async function occupied(): Promise<number> {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  it("moves off a taken default port with a note, and refuses a taken port given with --port", async () => {
    const taken = await occupied();
    const notes: string[] = [];
    expect(await choosePort(undefined, (line) => notes.push(line), taken)).toBe(0);
    expect(notes).toEqual([`Port ${taken} is in use (another stack or \`wrangler dev\`?): using a free port instead.`]);
    const r = repo();
    const explicit = await runInProcess(["dev", "--port", String(taken)], { cwd: r.dir });
    expect(explicit.code).toBe(1);
    expect(explicit.stderr).toMatch(new RegExp(`^error: conflict: port ${taken} on 127\\.0\\.0\\.1 is in use`));
    expectNoStack(r.dir);
  });
});

describe("tables", () => {
  it("align columns by terminal width: wide characters, emoji and colour codes", () => {
    const table = formatTable(
      ["TITLE", "STATUS"],
      [
        ["日本語", "\u001b[32mmerged\u001b[39m"],
        ["fix 🐛", "open"],
        ["plain", "failed"],
      ],
    );
    const starts = table.split("\n").map((line) => {
      const plain = stripVTControlCharacters(line);
      const at = plain.search(/STATUS|merged|open|failed/);
      return stringWidth(plain.slice(0, at));
    });
    expect(new Set(starts).size).toBe(1);
  });
});
