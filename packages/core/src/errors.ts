/**
 * Every error code Bernstein can raise, with the HTTP status it maps to at the API edge.
 * Codes are the contract: callers match on `code`, never on `instanceof`, because errors
 * cross bundles, RPC and Workflow boundaries as plain JSON.
 */
export const ERROR_STATUS = {
  // request and input
  bad_request: 400,
  invalid_body: 400,
  invalid_model: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  /** A task argument (a task id or a plan id such as `t1`) names no task of the run. */
  task_not_found: 404,
  illegal_transition: 409,
  version_conflict: 409,
  conflict: 409,
  hash_mismatch: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // plans
  plan_invalid: 400,
  plan_empty: 400,
  plan_duplicate_id: 400,
  plan_unknown_dependency: 400,
  plan_cycle: 400,
  plan_path_escape: 400,
  path_escape: 400,
  // platform limits
  too_many_parameters: 500,
  limit_exceeded: 422,
  // money
  budget_exhausted: 402,
  // models
  provider_not_configured: 400,
  model_auth: 502,
  model_bad_request: 502,
  model_rate_limited: 503,
  model_unavailable: 503,
  model_error: 502,
  // agent and merge
  tool_error: 422,
  max_turns: 422,
  no_finish: 422,
  merge_conflict: 409,
  // verification, approvals, progress
  signal_failed: 422,
  verify_failed: 422,
  verify_timeout: 422,
  /** A verify setup command failed, or a verify command was not found: the task is blocked. */
  verify_setup: 422,
  rejected: 409,
  no_progress: 422,
  // local machine (CLI)
  usage: 400,
  not_a_git_repo: 400,
  git_error: 500,
  stack_unreachable: 503,
  stack_failed: 500,
  run_failed: 500,
  // deployed stacks (bernstein cloud)
  unknown_project: 404,
  cloud_auth: 401,
  cloud_permission: 403,
  resource_conflict: 409,
  migration_failed: 500,
  cloud_api: 502,
  // anything else is a bug
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** True when `value` is one of the known error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

/** The HTTP status that an error code maps to at the API edge. */
export function statusForCode(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** JSON shape of an error as it travels between processes and in API bodies. */
export interface ErrorJson {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface BernsteinErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type of the project: a typed code, a human message, optional details. */
export class BernsteinError extends Error {
  override readonly name = "BernsteinError";
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: BernsteinErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return statusForCode(this.code);
  }

  toJSON(): ErrorJson {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error from its JSON form (after RPC, a Workflow step, or an HTTP body). */
  static fromJSON(json: ErrorJson): BernsteinError {
    return new BernsteinError(json.code, json.message, json.details ? { details: json.details } : {});
  }
}

/**
 * Reads a code off anything thrown: a BernsteinError, its JSON form, or an Error whose
 * message was serialised across a boundary as `code: message`. Unknown errors are `internal`.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  if (typeof error === "object" && error !== null && "code" in error && isErrorCode(error.code)) {
    return error.code;
  }
  if (error instanceof Error) {
    const prefix = CODE_PREFIX.exec(error.message)?.[1];
    if (isErrorCode(prefix)) return prefix;
  }
  return "internal";
}

/**
 * `<code>: <message>`, possibly behind the `<ErrorName>: ` that workerd puts in front of the
 * message of an Error subclass it carries across RPC.
 */
const CODE_PREFIX = /^(?:[A-Za-z]*Error: )?([a-z_]+): /;

/**
 * An Error that carries its code through boundaries that keep only the message (Workflow
 * steps, Durable Object RPC): `<code>: <message>`. `errorCodeOf` and `toBernsteinError` read it back.
 */
export function toTransportError(error: unknown): Error {
  const err = toBernsteinError(error);
  return new Error(`${err.code}: ${err.message}`, { cause: error });
}

/** Converts anything thrown into a BernsteinError, keeping the original as `cause`. */
export function toBernsteinError(error: unknown): BernsteinError {
  if (error instanceof BernsteinError) return error;
  const code = errorCodeOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const prefixed = CODE_PREFIX.exec(raw);
  const message = prefixed?.[1] === code ? raw.slice(prefixed[0].length) : raw;
  const details =
    typeof error === "object" && error !== null && "details" in error && isRecord(error.details)
      ? error.details
      : undefined;
  return new BernsteinError(code, message, { cause: error, ...(details ? { details } : {}) });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
