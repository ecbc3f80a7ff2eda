import { NonRetryableError } from "cloudflare:workflows";
import { type ErrorCode, toBernsteinError } from "@bernstein/core";
import { isPermanent } from "./permanent.js";

/**
 * What `doStep` throws when its step failed for good: the message is `<code>: <message>`, and
 * `code` is set too, so core's `errorCodeOf`/`toBernsteinError` work on it, and so does the
 * instance's error status if the workflow lets it escape `run()`. Its name stays "Error" on
 * purpose: errors crossing workerd RPC keep only built-in names, and fold any other name into
 * the message (`StepFailedError: plan_cycle: …`), which would hide the code.
 */
export class StepFailedError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }
}

/**
 * The error a step callback throws for `error`: a `NonRetryableError` when its code is
 * permanent or its `details.retryable` is false (the step fails at once), else a plain Error
 * (retried per the step's config).
 * Only name and message cross the step boundary, so both carry `<code>: <message>`.
 */
export function toStepError(error: unknown): Error {
  const { code, message, details } = toBernsteinError(error);
  const text = `${code}: ${message}`;
  // A failure can also know it is final itself (a provider's `x-should-retry: false`).
  const final = isPermanent(code) || details?.retryable === false;
  return final ? new NonRetryableError(text) : new Error(text, { cause: error });
}

/**
 * Rebuilds the error `step.do` rejected with. Workflows hand it back as an Error whose message
 * may be prefixed with the original error's name (Miniflare: `NonRetryableError: plan_cycle: …`);
 * the prefix is dropped so the code is read again. Errors raised by the engine itself (step
 * timeouts, unserialisable results) carry no code and become `internal`.
 */
export function fromStepError(error: unknown): StepFailedError {
  const raw = error instanceof Error ? error.message : String(error);
  const { code, message } = toBernsteinError(new Error(raw.replace(/^NonRetryableError:\s*/, "")));
  return new StepFailedError(code, message, { cause: error });
}
