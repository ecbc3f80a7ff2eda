/** The binding that turns the meter on; only the local stack sets it, for the bench. */
export const METER_BINDING = "BERNSTEIN_METER";

/** Whether the Worker's environment asks for metering (`BERNSTEIN_METER` is `"1"`). */
export function isMeterOn(env: unknown): boolean {
  return typeof env === "object" && env !== null && (env as Record<string, unknown>)[METER_BINDING] === "1";
}
