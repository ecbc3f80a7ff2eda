/* biome-ignore-all lint/suspicious/noConsole: this module is the Worker's one logger; workerd collects console output as logs. */

import { redact } from "./redaction.js";

/** Structured log lines, redacted as a whole (secrets stay in bindings; one that slips into a message does not get out). */
export const logger = {
  info(message: string, data?: Record<string, unknown>): void {
    console.log(redact(JSON.stringify({ level: "info", message, ...data })));
  },
  error(message: string, error: unknown, data?: Record<string, unknown>): void {
    const detail = error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
    console.error(redact(JSON.stringify({ level: "error", message, ...detail, ...data })));
  },
};
