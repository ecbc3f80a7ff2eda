// Cloudflare's published prices and limits, as read on 2026-12-02 from:
//   https://developers.cloudflare.com/workers/platform/pricing/ and .../workers/platform/limits/
//   https://developers.cloudflare.com/workflows/reference/pricing/ and .../workflows/reference/limits/
//   https://developers.cloudflare.com/durable-objects/platform/pricing/
//   https://developers.cloudflare.com/d1/platform/pricing/
//   https://developers.cloudflare.com/r2/pricing/
// Check them again before relying on a figure: Cloudflare changes them from time to time.

/** The date the prices below were read. */
export const PRICES_READ_ON = "2026-12-02";

/** Where they were read. */
export const PRICE_SOURCES = [
  "https://developers.cloudflare.com/workers/platform/pricing/",
  "https://developers.cloudflare.com/workflows/reference/pricing/",
  "https://developers.cloudflare.com/durable-objects/platform/pricing/",
  "https://developers.cloudflare.com/d1/platform/pricing/",
  "https://developers.cloudflare.com/r2/pricing/",
] as const;

/** The billed quantities a run uses (what the meter counts, added up across both Workers). */
export type Usage = Record<UsageKey, number>;

export type UsageKey =
  | "workersRequests"
  | "workflowInvocations"
  | "durableObjectRequests"
  | "durableObjectRowsRead"
  | "durableObjectRowsWritten"
  | "d1RowsRead"
  | "d1RowsWritten"
  | "r2ClassA"
  | "r2ClassB";

/** A Free-plan limit: `perDay` of the quantities `of` together (Workflow executions share the Workers requests). */
export interface FreeLimit {
  name: string;
  of: readonly UsageKey[];
  perDay: number;
}

/**
 * Workers Free: daily limits (reset 00:00 UTC); over one, that kind of operation fails. R2's free
 * tier is monthly on every plan: a day's share is a thirtieth of it.
 */
export const FREE_LIMITS: readonly FreeLimit[] = [
  { name: "Workers + Workflows requests", of: ["workersRequests", "workflowInvocations"], perDay: 100_000 },
  { name: "Durable Objects requests", of: ["durableObjectRequests"], perDay: 100_000 },
  { name: "Durable Objects SQLite rows read", of: ["durableObjectRowsRead"], perDay: 5_000_000 },
  { name: "Durable Objects SQLite rows written", of: ["durableObjectRowsWritten"], perDay: 100_000 },
  { name: "D1 rows read", of: ["d1RowsRead"], perDay: 5_000_000 },
  { name: "D1 rows written", of: ["d1RowsWritten"], perDay: 100_000 },
  { name: "R2 Class A (1 M a month)", of: ["r2ClassA"], perDay: 1_000_000 / 30 },
  { name: "R2 Class B (10 M a month)", of: ["r2ClassB"], perDay: 10_000_000 / 30 },
];

/** A Workers Paid meter: `includedPerMonth` of the quantities `of`, then `usdPerMillion`. */
export interface PaidMeter {
  name: string;
  of: readonly UsageKey[];
  includedPerMonth: number;
  usdPerMillion: number;
}

/** Workers Paid ($5 a month): what is included each month, and the price beyond it. */
export const PAID_BASE_USD_PER_MONTH = 5;
export const PAID_METERS: readonly PaidMeter[] = [
  {
    name: "Workers + Workflows requests",
    of: ["workersRequests", "workflowInvocations"],
    includedPerMonth: 10_000_000,
    usdPerMillion: 0.3,
  },
  { name: "Durable Objects requests", of: ["durableObjectRequests"], includedPerMonth: 1_000_000, usdPerMillion: 0.15 },
  {
    name: "Durable Objects SQLite rows read",
    of: ["durableObjectRowsRead"],
    includedPerMonth: 25_000_000_000,
    usdPerMillion: 0.001,
  },
  {
    name: "Durable Objects SQLite rows written",
    of: ["durableObjectRowsWritten"],
    includedPerMonth: 50_000_000,
    usdPerMillion: 1,
  },
  { name: "D1 rows read", of: ["d1RowsRead"], includedPerMonth: 25_000_000_000, usdPerMillion: 0.001 },
  { name: "D1 rows written", of: ["d1RowsWritten"], includedPerMonth: 50_000_000, usdPerMillion: 1 },
  { name: "R2 Class A", of: ["r2ClassA"], includedPerMonth: 1_000_000, usdPerMillion: 4.5 },
  { name: "R2 Class B", of: ["r2ClassB"], includedPerMonth: 10_000_000, usdPerMillion: 0.36 },
];

/** Steps one Workflow instance may take: 1,024 on Free, 10,000 by default on Paid. */
export const STEPS_PER_INSTANCE = { free: 1_024, paid: 10_000 } as const;
