import { costOf, type Usage } from "@bernstein/core";

/** USD cost of one call's usage, from core's price table (one table, no copy here). */
export function usageToCost(model: string, usage: Usage): number {
  return costOf(model, usage);
}
