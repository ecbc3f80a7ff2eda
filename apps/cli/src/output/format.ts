/** `$0.0123`: model calls cost fractions of a cent. */
export function usd(value: number): string {
  return `$${value.toFixed(4)}`;
}

/** `1:05`, `1:02:03`; `-` when unknown. */
export function duration(ms: number | null): string {
  if (ms === null) return "-";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** `HH:MM:SS` of an ISO time, in local time. */
export function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
}
