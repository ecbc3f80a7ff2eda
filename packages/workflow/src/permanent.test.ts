import { ERROR_STATUS, type ErrorCode } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { isPermanent, PERMANENT_CODES } from "./permanent.js";

describe("PERMANENT_CODES", () => {
  it("holds the codes no retry can fix", () => {
    const permanent: ErrorCode[] = [
      "bad_request",
      "invalid_body",
      "plan_invalid",
      "plan_cycle",
      "plan_path_escape",
      "path_escape",
      "hash_mismatch",
      "illegal_transition",
      "provider_not_configured",
      "model_auth",
      "model_bad_request",
      "budget_exhausted",
      "max_turns",
      "no_finish",
      "tool_error",
      "limit_exceeded",
      "too_many_parameters",
      "not_found",
      "forbidden",
      "unauthorized",
      "merge_conflict",
    ];
    for (const code of permanent) expect(isPermanent(code), code).toBe(true);
  });

  it("leaves transient codes retryable, unknown errors included", () => {
    for (const code of [
      "model_rate_limited",
      "model_unavailable",
      "model_error",
      "version_conflict",
      "internal",
    ] as const) {
      expect(isPermanent(code), code).toBe(false);
    }
  });

  it("only holds codes core knows", () => {
    for (const code of PERMANENT_CODES) expect(Object.hasOwn(ERROR_STATUS, code), code).toBe(true);
  });
});
