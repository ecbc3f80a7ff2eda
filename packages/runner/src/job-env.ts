/**
 * Variables a verify command must never see: model keys (a test suite could print or send
 * them) and Bernstein's own tokens.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /^ANTHROPIC_/i,
  /^OPENAI_/i,
  /^BERNSTEIN_TOKEN$/i,
  /^BERNSTEIN_RUNNER_TOKEN$/i,
];

/** True when a variable of this name is withheld from verify commands. */
export function isSecretVariable(name: string): boolean {
  return SECRET_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * The environment of a verify command: the runner's own minus model keys and Bernstein
 * tokens, plus `CI=true` (test tools then skip watch modes and prompts).
 */
export function jobEnvironment(base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || isSecretVariable(name)) continue;
    env[name] = value;
  }
  env.CI = "true";
  return env;
}
