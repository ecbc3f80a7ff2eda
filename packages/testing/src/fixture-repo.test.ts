import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createFixtureRepo, type FixtureRepo, fixtureSourceDir } from "./fixture-repo.js";

const run = promisify(execFile);
const repos: FixtureRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

describe("createFixtureRepo", () => {
  it("commits the calculator example on main, with a stable head, and its tests pass", async () => {
    const repo = await createFixtureRepo("calculator");
    repos.push(repo);
    expect(repo.head).toMatch(/^[0-9a-f]{40}$/);
    const git = (...args: string[]) => run("git", args, { cwd: repo.dir }).then((r) => r.stdout.trim());
    expect(await git("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(await git("status", "--porcelain")).toBe("");
    expect(await git("log", "-1", "--format=%an <%ae> %aI")).toBe(
      "Bernstein Fixtures <fixtures@bernstein.invalid> 2025-01-01T00:00:00+00:00",
    );
    expect((await git("ls-files")).split("\n").sort()).toEqual([
      "README.md",
      "package.json",
      "src/add.js",
      "test/add.test.js",
    ]);
    const { stdout } = await run(process.execPath, ["--test"], { cwd: repo.dir });
    expect(stdout).toMatch(/# pass 1\n# fail 0/);

    const again = await createFixtureRepo("calculator");
    repos.push(again);
    expect(again.dir).not.toBe(repo.dir);
    expect(again.head).toBe(repo.head);
  });

  it("reads the calculator fixture from examples/calculator and cleans up after itself", async () => {
    expect(fixtureSourceDir("calculator")).toMatch(/examples[/\\]calculator$/);
    const repo = await createFixtureRepo("calculator");
    await repo.cleanup();
    await expect(readdir(repo.dir)).rejects.toThrow(/ENOENT/);
  });

  it("rejects unknown and path-like fixture names", async () => {
    await expect(createFixtureRepo("no-such-fixture")).rejects.toMatchObject({ code: "not_found" });
    await expect(createFixtureRepo("../secrets")).rejects.toMatchObject({ code: "bad_request" });
  });
});
