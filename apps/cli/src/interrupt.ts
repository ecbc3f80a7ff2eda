/** The reason the CLI's AbortSignal carries when a signal arrives. */
export class InterruptError extends Error {
  override readonly name = "InterruptError";
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`interrupted by ${signal}`);
  }

  /** 128 + the signal number, as shells report it. */
  get exitCode(): number {
    return this.signal === "SIGINT" ? 130 : 143;
  }
}
