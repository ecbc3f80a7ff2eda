import type { Caller } from "./auth.js";

/** One API request as the stand-in saw it. Secret values never appear in a record. */
export interface RecordedApiRequest {
  method: string;
  /** Path and query, without the API base. */
  url: string;
  status: number;
  /** What the request presented: no token, an unknown token, a known one. */
  caller: Caller["kind"];
  contentType: string | undefined;
  /** The R2 jurisdiction the request was scoped to (`cf-r2-jurisdiction`), when it named one. */
  jurisdiction?: string;
  /** A JSON body, or an upload's metadata, with secret values replaced by `[secret]`. */
  body?: unknown;
  /** The module names of an upload. */
  modules?: string[];
}

export const SECRET_PLACEHOLDER = "[secret]";

/** The record of a request (`request` is a clone whose body is still unread). */
export async function recordOf(
  request: Request,
  status: number,
  caller: Caller["kind"],
  prefix: string,
): Promise<RecordedApiRequest> {
  const url = new URL(request.url);
  const contentType = request.headers.get("content-type") ?? undefined;
  const record: RecordedApiRequest = {
    method: request.method,
    url: `${url.pathname.slice(prefix.length)}${url.search}`,
    status,
    caller,
    contentType,
  };
  const jurisdiction = request.headers.get("cf-r2-jurisdiction");
  if (jurisdiction) record.jurisdiction = jurisdiction;
  if (contentType?.startsWith("multipart/form-data")) {
    let form: FormData | undefined;
    try {
      form = await request.formData();
    } catch (error) {
      record.body = `[not multipart: ${(error as Error).message}]`;
    }
    const metadata = form?.get("metadata") ?? form?.get("settings");
    if (form && metadata !== null && metadata !== undefined) {
      record.body = redact(JSON.parse(typeof metadata === "string" ? metadata : await metadata.text()));
      const names: string[] = [];
      form.forEach((_value, name) => {
        if (name !== "metadata" && name !== "settings") names.push(name);
      });
      record.modules = names;
    }
  } else {
    // JSON whatever the content type says: wrangler sends some bodies (R2's) untyped.
    const text = await request.text();
    if (text !== "") record.body = jsonOf(text);
  }
  return record;
}

function jsonOf(text: string): unknown {
  try {
    return redact(JSON.parse(text));
  } catch {
    // Not the parser's message: it quotes the text, which may hold a secret.
    return `[not JSON: ${text.length} characters]`;
  }
}

/** Replaces the `text` of every `secret_text` object (upload bindings, secret bodies). */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redact(v)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  if (object.type === "secret_text" && "text" in object) object.text = SECRET_PLACEHOLDER;
  return object;
}
