/** Dollars, exact under $1 (core's one money format, as the CLI and the monitor print). */
export { formatUsd as usd } from "@bernstein/core";

/** `1:05`, `1:02:03`; `-` for unknown. */
export function duration(ms: number | null): string {
  if (ms === null) return "-";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** `5 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function age(iso: string, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** `HH:MM:SS` of an ISO time, in local time. */
export function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
}

/** `anthropic/claude-sonnet-4-5` -> `claude-sonnet-4-5`. */
export function shortModel(model: string | null): string {
  if (!model) return "-";
  const slash = model.indexOf("/");
  return slash === -1 ? model : model.slice(slash + 1);
}

/** `1,234` */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}
