import type { ErrorCode } from "@bernstein/core";

// Every code is classified here, so a code added to core fails type-checking until someone
// decides whether retrying a step can fix it.
const RETRYABLE: Record<ErrorCode, boolean> = {
  bad_request: false,
  invalid_body: false,
  invalid_model: false,
  unauthorized: false,
  forbidden: false,
  not_found: false,
  task_not_found: false,
  illegal_transition: false,
  // Optimistic concurrency: a retry re-reads and usually succeeds.
  version_conflict: true,
  conflict: true,
  hash_mismatch: false,
  payload_too_large: false,
  unsupported_media_type: false,
  plan_invalid: false,
  plan_empty: false,
  plan_duplicate_id: false,
  plan_unknown_dependency: false,
  plan_cycle: false,
  plan_path_escape: false,
  path_escape: false,
  too_many_parameters: false,
  limit_exceeded: false,
  budget_exhausted: false,
  provider_not_configured: false,
  model_auth: false,
  model_bad_request: false,
  model_rate_limited: true,
  model_unavailable: true,
  model_error: true,
  tool_error: false,
  max_turns: false,
  no_finish: false,
  // The same three trees merge the same way every time.
  merge_conflict: false,
  signal_failed: false,
  verify_failed: false,
  verify_timeout: false,
  verify_setup: false,
  rejected: false,
  no_progress: false,
  usage: false,
  not_a_git_repo: false,
  git_error: true,
  stack_unreachable: true,
  stack_failed: true,
  run_failed: false,
  // Deploy-time codes of the CLI: never raised inside a Workflow.
  unknown_project: false,
  cloud_auth: false,
  cloud_permission: false,
  resource_conflict: false,
  migration_failed: false,
  cloud_api: false,
  // Unknown errors (network resets, platform hiccups) are worth another try.
  internal: true,
};

/** Error codes that no retry can fix: a step failing with one fails at once. */
export const PERMANENT_CODES: ReadonlySet<ErrorCode> = new Set(
  (Object.keys(RETRYABLE) as ErrorCode[]).filter((code) => !RETRYABLE[code]),
);

/** True when retrying cannot fix an error with this code. */
export function isPermanent(code: ErrorCode): boolean {
  return PERMANENT_CODES.has(code);
}
