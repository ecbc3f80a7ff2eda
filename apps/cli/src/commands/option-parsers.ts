import { formatModelRef, parseModelRef } from "@bernstein/core";
import { InvalidArgumentError } from "commander";

/** `--port`: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError("expected a port number 0-65535");
  return port;
}

/** A whole number >= 1. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

/** A positive amount of US dollars. */
export function parseUsd(value: string): number {
  const n = Number(value.replace(/^\$/, ""));
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError("expected a positive amount in USD, e.g. 5 or 2.50");
  return n;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
}

/** `--model`: `provider/model`, checked here so a typo is a usage error before any work. */
export function parseModel(value: string): string {
  try {
    return formatModelRef(parseModelRef(value));
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}
