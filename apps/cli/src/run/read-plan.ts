import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { BernsteinError, type Plan, validatePlan } from "@bernstein/core";

/** Reads and validates a `--plan` file (JSON `{tasks:[...]}`), relative to the current dir. */
export async function readPlanFile(cwd: string, file: string): Promise<Plan> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new BernsteinError("usage", `cannot read the plan file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BernsteinError("plan_invalid", `the plan file ${path} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return validatePlan(json);
}
