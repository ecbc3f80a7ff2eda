import { BernsteinError, type ErrorCode, statusForCode, toBernsteinError } from "@bernstein/core";
import { StatusError } from "itty-router";
import { logger } from "../logger.js";
import { redact } from "../redaction.js";

/** The one translation of errors into HTTP: `{error:{code,message}}` with the code's status. */
export function errorResponse(error: unknown): Response {
  const known = knownError(error);
  if (known.code === "internal") logger.error("unhandled error", error);
  return Response.json(
    { error: { code: known.code, message: known.code === "internal" ? "internal error" : redact(known.message) } },
    { status: statusForCode(known.code) },
  );
}

function knownError(error: unknown): BernsteinError {
  if (error instanceof StatusError) return new BernsteinError(codeForStatus(error.status), error.message);
  return toBernsteinError(error);
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 413) return "payload_too_large";
  if (status >= 400 && status < 500) return "bad_request";
  return "internal";
}
