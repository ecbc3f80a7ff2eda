/** What a command always gets from the runner's environment (everything else is withheld). */
export const BASE_ENV_ALLOWLIST = ["PATH", "HOME", "LANG", "TERM"] as const;

/** Names a secret's value usually hides behind: the runner redacts those values from output. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|SESSION|COOKIE|PRIVATE)/i;

/**
 * True when a variable of this name looks like it holds a secret. Such variables are never
 * passed unless named (`verify.env` / `agent.commands.env`), and their values are redacted from
 * output even then.
 */
export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The environment of a verify, setup or agent command: an allowlist, not a denylist. PATH,
 * HOME, LANG and TERM from the runner's own environment, `CI=true` (test tools skip watch
 * modes and prompts), and the variables `passEnv` names (`verify.env` and
 * `agent.commands.env` of bernstein.json, read by the runner from the repository it serves,
 * never from a job's tree). Nothing else: no model keys, no cloud or GitHub tokens, no
 * Bernstein tokens, no PWD pointing at the runner's repository.
 */
export function jobEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  passEnv: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV_ALLOWLIST, ...passEnv]) {
    const value = base[name];
    if (value !== undefined) env[name] = value;
  }
  env.CI = "true";
  return env;
}

/** The values of the runner's secret-looking variables: what its redactor knows. */
export function secretValues(base: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(base).flatMap(([name, value]) => (value && isSecretVariable(name) ? [value] : []));
}
