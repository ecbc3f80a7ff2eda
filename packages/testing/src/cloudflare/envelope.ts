/** One error of a Cloudflare API answer (`errors[]`), in the real API's shape. */
export interface ApiErrorItem {
  code: number;
  message: string;
}

/** A Cloudflare API failure: the HTTP status and the `errors[]` of the v4 envelope. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorItem[],
  ) {
    super(errors.map((e) => `${e.message} [code: ${e.code}]`).join("; "));
    this.name = "ApiFailure";
  }
}

/** Throws the v4 envelope of one error. */
export function fail(status: number, code: number, message: string): never {
  throw new ApiFailure(status, [{ code, message }]);
}

/** `{success: true, errors: [], messages: [], result}`: the v4 envelope of a success. */
export function ok(result: unknown, resultInfo?: Record<string, unknown>): Response {
  return Response.json({
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo ? { result_info: resultInfo } : {}),
  });
}

/** The v4 envelope of a failure. */
export function failure(error: ApiFailure): Response {
  return Response.json({ success: false, errors: error.errors, messages: [], result: null }, { status: error.status });
}

/** A request body as JSON, or the API's 400 for a body that is not. */
export async function jsonBody<T>(request: Request): Promise<T> {
  const text = await request.text();
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ApiFailure(400, [{ code: 10002, message: `request body is not JSON: ${(error as Error).message}` }]);
  }
}

/** A new id shaped like Cloudflare's (32 hex digits, or a UUID). */
export function newId(uuid = false): string {
  const id = crypto.randomUUID();
  return uuid ? id : id.replaceAll("-", "");
}
