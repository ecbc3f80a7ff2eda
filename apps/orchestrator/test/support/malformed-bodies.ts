import fc from "fast-check";
import type { z } from "zod";

/**
 * fast-check arbitraries of malformed requests for the fuzz of `security-edges.test.ts`: every
 * request they make must be refused (400, 413, 415) before the route acts, whatever the route.
 */

/** A route of the Worker's own table (`ROUTES` in src/router.ts), as far as this test needs it. */
export interface Route {
  method: string;
  path: string;
  access: "public" | "admin" | "runner" | "admin-or-runner";
  body: { kind: "none" | "text" | "stream"; maxBytes?: number } | { kind: "json"; schema: z.ZodType; maxBytes: number };
}

export const JSON_TYPE = "application/json";
const WRONG_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=latin1",
  "application/jsonx",
  "text/json",
  "",
];

export interface Malformed {
  what: string;
  contentType: string | undefined;
  body: Uint8Array;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Malformed bodies for a JSON route: every one must be refused before the route acts. */
function malformedJson(
  route: Route & { body: { kind: "json" } },
  sample: Record<string, unknown>,
): fc.Arbitrary<Malformed> {
  const schema = route.body.schema;
  const invalid = (value: unknown) => !schema.safeParse(value).success;
  const asJson = (what: string) => (value: unknown) => ({
    what,
    contentType: JSON_TYPE,
    body: bytes(JSON.stringify(value)),
  });
  const keys = Object.keys(sample);
  const omit = (key: string) => Object.fromEntries(Object.entries(sample).filter(([k]) => k !== key));
  const required = keys.filter((key) => invalid(omit(key)));
  const common = (arbitrary: fc.Arbitrary<Malformed>) => ({ weight: 1, arbitrary });
  return fc.oneof(
    // wrong content types around a body that would be valid
    common(
      fc.constantFrom(...WRONG_TYPES).map((type) => ({
        what: `type ${type}`,
        contentType: type || undefined,
        body: bytes(JSON.stringify(sample)),
      })),
    ),
    // any JSON value the schema refuses: wrong types, missing fields, nonsense
    common(fc.jsonValue({ maxDepth: 4 }).filter(invalid).map(asJson("json value"))),
    // the valid sample with an unknown field (request schemas are strict)
    common(
      fc
        .tuple(
          fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !keys.includes(k)),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([key, value]) => ({ ...sample, [key]: value }))
        .filter(invalid)
        .map(asJson("extra field")),
    ),
    // the valid sample with one field of a wrong type, or without a required one
    ...(keys.length > 0
      ? [
          common(
            fc
              .tuple(
                fc.constantFrom(...keys),
                fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer())),
              )
              .map(([key, value]) => ({ ...sample, [key]: value }))
              .filter(invalid)
              .map(asJson("wrong type")),
          ),
        ]
      : []),
    ...(required.length > 0
      ? [
          common(
            fc
              .constantFrom(...required)
              .map(omit)
              .map(asJson("missing field")),
          ),
        ]
      : []),
    // text that is not JSON
    common(
      fc
        .string({ maxLength: 200 })
        .filter((text) => !parses(text))
        .map((text) => ({ what: "not json", contentType: JSON_TYPE, body: bytes(text) })),
    ),
    // invalid UTF-8 inside a string
    common(
      fc
        .constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80])
        .map((bad) => ({
          what: "invalid utf-8",
          contentType: JSON_TYPE,
          body: concat(bytes('{"goal":"'), Uint8Array.from(bad), bytes('"}')),
        })),
    ),
    // duplicate keys and __proto__
    common(
      fc.constantFrom(...(keys.length > 0 ? keys : ["a"])).map((key) => {
        const text = JSON.stringify(sample);
        const body = keys.length > 0 ? `${text.slice(0, -1)},${JSON.stringify(key)}:null}` : '{"a":1,"a":2}';
        return { what: "duplicate key", contentType: JSON_TYPE, body: bytes(body) };
      }),
    ),
    common(
      fc.jsonValue({ maxDepth: 1 }).map((value) => ({
        what: "__proto__",
        contentType: JSON_TYPE,
        body: bytes(`{"__proto__":${JSON.stringify(value ?? null)}}`),
      })),
    ),
    // deep nesting
    common(
      fc.integer({ min: 17, max: 10_000 }).map((depth) => ({
        what: "deep",
        contentType: JSON_TYPE,
        body: bytes(`{"x":${"[".repeat(depth)}${"]".repeat(depth)}}`),
      })),
    ),
  );
}

/** Anything at all for a route that takes no body. */
function anyBody(): fc.Arbitrary<Malformed> {
  return fc
    .oneof(
      fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => ({ what: "json", contentType: JSON_TYPE, body: bytes(JSON.stringify(v)) })),
      fc
        .uint8Array({ minLength: 1, maxLength: 300 })
        .map((b) => ({ what: "bytes", contentType: "application/octet-stream", body: b })),
      fc
        .string({ minLength: 1, maxLength: 100 })
        .map((s) => ({ what: "text", contentType: undefined, body: bytes(s) })),
      fc.constant({ what: "empty object", contentType: JSON_TYPE, body: bytes("{}") }),
    )
    .chain((small) =>
      fc.oneof(
        { weight: 50, arbitrary: fc.constant(small) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 70_000, max: 200_000 }).map((n) => ({
            what: "large",
            contentType: JSON_TYPE,
            body: bytes(`"${"y".repeat(n)}"`),
          })),
        },
      ),
    );
}

/** Malformed bodies for the verify-log upload (UTF-8 text) and the blob upload (a stream of bytes). */
function malformedRaw(route: Route): fc.Arbitrary<Malformed> {
  const types =
    route.body.kind === "text"
      ? ["application/json", "image/png", "text/html", ""]
      : ["application/json", "text/plain", ""];
  const wrongType = fc.tuple(fc.constantFrom(...types), fc.string({ maxLength: 100 })).map(([type, text]) => ({
    what: `type ${type}`,
    contentType: type || undefined,
    body: bytes(text),
  }));
  if (route.body.kind === "text") {
    return fc.oneof(
      wrongType,
      fc.uint8Array({ minLength: 1, maxLength: 100 }).map((b) => ({
        what: "invalid utf-8",
        contentType: "text/plain",
        body: concat(b, Uint8Array.from([0xff, 0xfe])),
      })),
    );
  }
  // a blob PUT: the body does not hash to the path's sha256, or the type is wrong
  return fc.oneof(
    wrongType,
    fc
      .uint8Array({ minLength: 0, maxLength: 500 })
      .map((b) => ({ what: "wrong hash", contentType: "application/octet-stream", body: b })),
  );
}

/** Malformed requests for a route; `sample` is a body a JSON route accepts (the base of mutations). */
export function arbitraryFor(route: Route, sample: Record<string, unknown>): fc.Arbitrary<Malformed> {
  switch (route.body.kind) {
    case "json":
      return malformedJson(route as Parameters<typeof malformedJson>[0], sample);
    case "none":
      return anyBody();
    default:
      return malformedRaw(route);
  }
}

export function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
