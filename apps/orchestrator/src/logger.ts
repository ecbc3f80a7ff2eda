/* biome-ignore-all lint/suspicious/noConsole: this module is the Worker's one logger; workerd collects console output as logs. */

/** Structured log lines. Never pass secrets: model keys and tokens stay in bindings. */
export const logger = {
  info(message: string, data?: Record<string, unknown>): void {
    console.log(JSON.stringify({ level: "info", message, ...data }));
  },
  error(message: string, error: unknown, data?: Record<string, unknown>): void {
    const detail = error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
    console.error(JSON.stringify({ level: "error", message, ...detail, ...data }));
  },
};
