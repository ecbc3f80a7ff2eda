import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { BernsteinError, type ErrorCode } from "@bernstein/core";
import type { WorkerKey } from "@bernstein/stack-spec";
import type { Jurisdiction } from "./deploy-configs.js";

/** What this machine knows of one deployed project. Tokens included: the file is 0600. */
export interface ProjectRecord {
  name: string;
  accountId: string;
  /** The orchestrator's URL (workers.dev). */
  url?: string;
  /** The admin token of the deployed API: the API_TOKEN secret until `tokens rotate --admin --cloud`. */
  apiToken: string;
  /**
   * The first admin token, still the API_TOKEN secret once rotated (D1 holds the new one's hash
   * and the stack refuses this one). Deploys keep giving it, so no live token is a Worker secret.
   */
  bootstrapToken?: string;
  /** Key of the audit chain's HMAC (a Worker secret). */
  auditKey: string;
  /** Token of the runner registered at deploy (for `runner --cloud` in CI), once registered. */
  runnerToken?: string;
  database: { name: string; id?: string };
  bucket: { name: string; jurisdiction?: Jurisdiction; locationHint?: string };
  /** Per Worker: the hash of what was last uploaded, and a fingerprint of each secret it holds. */
  workers: Partial<Record<WorkerKey, { name: string; hash?: string; secrets?: Record<string, string> }>>;
  /** When the last deploy finished; absent while the first one has not. */
  deployedAt?: string;
}

export interface ProjectsFile {
  version: 1;
  projects: Record<string, ProjectRecord>;
}

/** `$XDG_CONFIG_HOME/bernstein/projects.json` (default `~/.config`). */
export function projectsFilePath(env: Readonly<Record<string, string | undefined>>): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(config, "bernstein", "projects.json");
}

/** The deploy directory of a project (generated configs, bundle copies, migrations). */
export function deployDir(env: Readonly<Record<string, string | undefined>>, project: string): string {
  return join(dirname(projectsFilePath(env)), "deploy", project);
}

export async function readProjects(path: string): Promise<ProjectsFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, projects: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as ProjectsFile;
    if (parsed.version !== 1 || typeof parsed.projects !== "object") throw new Error("unknown layout");
    return parsed;
  } catch (error) {
    throw new BernsteinError("usage", `${path} is not a projects file bernstein can read`, {
      cause: error,
      details: { fix: `Move ${path} aside; \`bernstein cloud deploy --project NAME\` records the projects again.` },
    });
  }
}

/** Writes the file atomically (temp file + rename), readable by its owner only. */
export async function writeProjects(path: string, file: ProjectsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

/** Reads, changes and writes back one project (`undefined` removes it). */
export async function updateProject(
  path: string,
  name: string,
  change: (current: ProjectRecord | undefined) => ProjectRecord | undefined,
): Promise<ProjectRecord | undefined> {
  const file = await readProjects(path);
  const next = change(file.projects[name]);
  if (next) file.projects[name] = next;
  else delete file.projects[name];
  await writeProjects(path, file);
  return next;
}

/** The record of a project, or `unknown_project` naming the ones there are. */
export function requireProject(file: ProjectsFile, name: string, path: string): ProjectRecord {
  const project = file.projects[name];
  if (project) return project;
  const known = Object.keys(file.projects);
  const code: ErrorCode = "unknown_project";
  throw new BernsteinError(code, `no project "${name}" is deployed from this machine (${path})`, {
    details: {
      fix:
        known.length > 0
          ? `Known projects: ${known.join(", ")}. Deploy this one with \`bernstein cloud deploy --project ${name}\`.`
          : `Deploy it first: \`bernstein cloud deploy --project ${name}\`.`,
    },
  });
}
