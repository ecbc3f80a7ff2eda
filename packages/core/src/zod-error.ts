import type { z } from "zod";
import { BernsteinError, type ErrorCode } from "./errors.js";

/** One line per issue: `tasks.0.title: Too small`, joined with "; ". */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

/** Parses `input` with `schema`, or throws a BernsteinError with `code` and a readable message. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: ErrorCode = "invalid_body",
  what = "request body",
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new BernsteinError(code, `${what} is invalid: ${formatZodError(result.error)}`);
  }
  return result.data;
}
