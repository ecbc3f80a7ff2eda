/**
 * The variables the local stack takes from the CLI's environment: the model variables
 * (ARCHITECTURE 4.2) and the few that tune the stack (outage threshold, runner lease, meter).
 */
export const MODEL_ENV_VARS = [
  "BERNSTEIN_MODEL",
  "BERNSTEIN_PLANNER_MODEL",
  "BERNSTEIN_MODEL_UNAVAILABLE_MINUTES",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "BERNSTEIN_METER", // "1" turns on the usage meter of both Workers (packages/meter, the bench)
  "RUNNER_LEASE_SECONDS", // a runner's lease on a job (the orchestrator's default: 8)
] as const;

export type ModelEnvVar = (typeof MODEL_ENV_VARS)[number];

/**
 * Those model variables that are set (non-empty). They become Worker bindings of the stack
 * process only: never written to disk, never logged.
 */
export function pickModelEnv(env: Readonly<Record<string, string | undefined>>): Partial<Record<ModelEnvVar, string>> {
  const picked: Partial<Record<ModelEnvVar, string>> = {};
  for (const name of MODEL_ENV_VARS) {
    const value = env[name];
    if (value !== undefined && value !== "") picked[name] = value;
  }
  return picked;
}

/** True when a model key is configured (else the demo uses the scripted model). */
export function hasModelKey(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.ANTHROPIC_API_KEY) || Boolean(env.OPENAI_API_KEY);
}
