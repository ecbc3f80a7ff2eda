import { BernsteinError, parseWith } from "@bernstein/core";
import type { z } from "zod";

/** Reads a JSON body and validates it: malformed JSON or a wrong shape -> 400 `invalid_body`. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = await request.json();
  } catch (error) {
    throw new BernsteinError("invalid_body", "request body is not valid JSON", { cause: error });
  }
  return parseWith(schema, value, "invalid_body");
}

/** Validates an id in the path. An id that cannot exist is simply not found. */
export function idParam<S extends z.ZodType>(schema: S, value: string | undefined, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BernsteinError("not_found", `no ${what} ${JSON.stringify(value ?? "")}`);
  return parsed.data;
}
