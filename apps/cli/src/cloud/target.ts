import { BernsteinError } from "@bernstein/core";
import { type ProjectRecord, projectsFilePath, readProjects, requireProject } from "@bernstein/deploy";

/** `--cloud` and `--project NAME` as the commands take them (with the state dir they share a type with). */
export interface CloudFlags {
  cloud?: boolean;
  project?: string;
  stateDir?: string;
}

/** A deployed stack to talk to: its URL and the tokens this machine holds for it. */
export interface CloudTarget {
  project: string | undefined;
  url: string;
  /** The API token (absent in CI, where only a runner token is given). */
  token: string | undefined;
  runnerToken: string | undefined;
}

/**
 * Turns `--cloud [--project NAME]` into a deployed stack: the named project of projects.json,
 * or the only one there; with none recorded (a CI job), `BERNSTEIN_URL` with
 * `BERNSTEIN_TOKEN` / `BERNSTEIN_RUNNER_TOKEN`.
 */
export async function resolveCloudTarget(
  env: Readonly<Record<string, string | undefined>>,
  project: string | undefined,
): Promise<CloudTarget> {
  const path = projectsFilePath(env);
  const file = await readProjects(path);
  if (project !== undefined) return targetOf(requireProject(file, project, path));
  const names = Object.keys(file.projects);
  if (names.length === 1) return targetOf(file.projects[names[0] as string] as ProjectRecord);
  if (names.length === 0 && env.BERNSTEIN_URL) {
    return {
      project: undefined,
      url: env.BERNSTEIN_URL,
      token: env.BERNSTEIN_TOKEN || undefined,
      runnerToken: env.BERNSTEIN_RUNNER_TOKEN || undefined,
    };
  }
  if (names.length === 0) {
    throw new BernsteinError("unknown_project", `no project is deployed from this machine (${path})`, {
      details: {
        fix: "Deploy one with `bernstein cloud deploy --project NAME`, or set BERNSTEIN_URL (and BERNSTEIN_RUNNER_TOKEN in CI).",
      },
    });
  }
  throw new BernsteinError(
    "usage",
    `--cloud needs --project: ${names.length} projects are deployed (${names.join(", ")})`,
    {
      details: { fix: `Name one: --cloud --project ${names[0]}` },
    },
  );
}

function targetOf(record: ProjectRecord): CloudTarget {
  if (!record.url) {
    throw new BernsteinError("unknown_project", `project ${record.name} has not finished deploying`, {
      details: { fix: `Finish it: \`bernstein cloud deploy --project ${record.name}\`.` },
    });
  }
  return { project: record.name, url: record.url, token: record.apiToken, runnerToken: record.runnerToken };
}
