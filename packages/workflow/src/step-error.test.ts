import { NonRetryableError } from "cloudflare:workflows";
import { BernsteinError, errorCodeOf, toBernsteinError } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { fromStepError, StepFailedError, toStepError } from "./step-error.js";

describe("toStepError", () => {
  it("throws permanent codes as NonRetryableError with the code in the message", () => {
    const error = toStepError(new BernsteinError("plan_cycle", "t1 -> t1"));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe("plan_cycle: t1 -> t1");
  });

  it("throws transient and unknown errors as plain, retryable Errors", () => {
    const transient = toStepError(new BernsteinError("model_rate_limited", "429"));
    expect(transient).not.toBeInstanceOf(NonRetryableError);
    expect(transient.message).toBe("model_rate_limited: 429");
    expect(toStepError(new TypeError("x is undefined")).message).toBe("internal: x is undefined");
    expect(toStepError("thrown string").message).toBe("internal: thrown string");
  });

  it("does not stack code prefixes when an error passes through twice", () => {
    expect(toStepError(new Error("model_auth: key rejected")).message).toBe("model_auth: key rejected");
  });
});

describe("fromStepError", () => {
  it("reads the code back, with or without the NonRetryableError prefix Workflows add", () => {
    for (const message of ["NonRetryableError: tool_error: no match", "tool_error: no match"]) {
      const error = fromStepError(new Error(message));
      expect(error).toBeInstanceOf(StepFailedError);
      expect(error.message).toBe("tool_error: no match");
      expect(errorCodeOf(error)).toBe("tool_error");
      expect(toBernsteinError(error).toJSON()).toEqual({ code: "tool_error", message: "no match" });
    }
  });

  it("calls engine errors without a code internal", () => {
    const error = fromStepError(new Error("Execution timed out after 600000ms"));
    expect(error.code).toBe("internal");
    expect(error.message).toBe("internal: Execution timed out after 600000ms");
  });
});
