import { describe, expect, it } from "vitest";
import { sqliteClasses } from "./durable-objects.js";
import { LOCAL_NAMES, PROJECT_NAME_MAX, projectNameProblem, projectNames } from "./names.js";

describe("resource names", () => {
  it("keeps the local names and prefixes a project's", () => {
    expect([LOCAL_NAMES.worker("orchestrator"), LOCAL_NAMES.database, LOCAL_NAMES.workflow("task")]).toEqual([
      "orchestrator",
      "bernstein-state",
      "bernstein-task",
    ]);
    const acme = projectNames("acme");
    expect([acme.worker("agent"), acme.database, acme.bucket, acme.workflow("plan")]).toEqual([
      "bernstein-acme-agent",
      "bernstein-acme-state",
      "bernstein-acme-artifacts",
      "bernstein-acme-plan",
    ]);
  });

  it("refuses names Cloudflare would refuse, as a usage error", () => {
    for (const bad of ["", "Acme", "-acme", "acme-", "a--b", "a_b", "x".repeat(PROJECT_NAME_MAX + 1)]) {
      expect(projectNameProblem(bad)).toBeDefined();
    }
    expect(projectNameProblem("team-a2")).toBeUndefined();
    expect(() => projectNames("Acme")).toThrow(expect.objectContaining({ code: "usage" }));
    expect(`bernstein-${"x".repeat(PROJECT_NAME_MAX)}-orchestrator`.length).toBe(63);
  });
});

describe("the Durable Object migrations", () => {
  it("make RunCoordinator a SQLite class of the orchestrator, and the agent owns none", () => {
    expect([...sqliteClasses("orchestrator")]).toEqual(["RunCoordinator"]);
    expect(sqliteClasses("agent").size).toBe(0);
  });
});
