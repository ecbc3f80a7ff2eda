/**
 * Reads tool-call arguments the model wrote as JSON. Invalid JSON, or JSON that is not an
 * object, is kept as `{_raw}` so the agent can answer with a tool error instead of crashing.
 */
export function parseToolInput(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to `_raw`: the model's malformed arguments are data, not our failure.
  }
  return { _raw: text };
}

/** The JSON text to send back for a tool call's input (a `_raw` input goes back as it came). */
export function formatToolInput(input: Record<string, unknown>): string {
  const keys = Object.keys(input);
  if (keys.length === 1 && keys[0] === "_raw" && typeof input._raw === "string") return input._raw;
  return JSON.stringify(input);
}
