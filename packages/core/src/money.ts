/**
 * US dollars as a user reads them. Under $1 every digit up to a millionth of a dollar is kept
 * (model calls cost fractions of a cent, and a budget of $0.015 must not print as "$0.01");
 * from $1 up, cents, and more digits only when they are not zero. Never fewer than 2 decimals.
 */
export function formatUsd(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  const digits = abs < 1 ? 6 : 4;
  const fixed = abs.toFixed(digits);
  const [whole, fraction = ""] = fixed.split(".");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${sign}$${whole}.${trimmed}`;
}
