import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "../errors.js";

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a lowercase hex SHA-256");
export const IsoTime = z.string().datetime({ offset: true });
export const RunId = z.string().regex(/^r_[a-z0-9]{12}$/, "expected a run id like r_0123456789ab");
export const TaskId = z.string().regex(/^t_[a-z0-9]{12}$/, "expected a task id like t_0123456789ab");

const codes = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
export const ErrorJsonSchema = z.object({
  code: z.enum(codes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** The body of every error response: `{error:{code,message}}`. */
export const ErrorResponse = z.object({ error: ErrorJsonSchema });
export type ErrorResponse = z.infer<typeof ErrorResponse>;
