import type { Sliced } from "./sliced.js";

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members dropped.
 * Two equal values always give the same string, so its hash names the value (snapshot
 * manifests) and its HMAC signs it (the audit chain).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const entries = sortedEntries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

/**
 * `canonicalJson` with a pause every `sliceItems` items of an array (a plan's thousands of
 * tasks): the same string. Arrays' items are encoded at once; objects are walked member by
 * member, so an array anywhere inside is sliced.
 */
export function* canonicalJsonInSlices(value: unknown, sliceItems = 200): Sliced<string> {
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (i > 0 && i % sliceItems === 0) yield;
      const item: unknown = value[i];
      parts.push(item === undefined ? "null" : canonicalJson(item));
    }
    return `[${parts.join(",")}]`;
  }
  if (value === null || typeof value !== "object") return canonicalJson(value);
  const parts: string[] = [];
  for (const [k, v] of sortedEntries(value as Record<string, unknown>)) {
    parts.push(`${JSON.stringify(k)}:${yield* canonicalJsonInSlices(v, sliceItems)}`);
  }
  return `{${parts.join(",")}}`;
}

function sortedEntries(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
