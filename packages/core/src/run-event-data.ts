import type { ErrorJson } from "./errors.js";
import { ErrorJsonSchema } from "./schemas/common.js";

// Event payloads are open records (`data: Record<string, unknown>`): read each field defensively,
// so an event from a newer orchestrator never breaks an older monitor.

/** The field as a string, else undefined. */
export function dataString(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = data[key];
  return typeof value === "string" ? value : undefined;
}

/** The field as a finite number, else undefined. */
export function dataNumber(data: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = data[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The field as a boolean, else undefined. */
export function dataBoolean(data: Readonly<Record<string, unknown>>, key: string): boolean | undefined {
  const value = data[key];
  return typeof value === "boolean" ? value : undefined;
}

/** The field as `{code, message}`, else undefined. */
export function dataError(data: Readonly<Record<string, unknown>>, key = "error"): ErrorJson | undefined {
  const parsed = ErrorJsonSchema.safeParse(data[key]);
  return parsed.success ? parsed.data : undefined;
}

/** The field as a list of strings (non-strings dropped), else undefined. */
export function dataStrings(data: Readonly<Record<string, unknown>>, key: string): string[] | undefined {
  const value = data[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}
