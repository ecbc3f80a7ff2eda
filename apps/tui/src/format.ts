import type { ActivityTone, RunStatus, TaskStatus } from "@bernstein/core";
import stringWidth from "string-width";

/** Ink colour names the monitor uses. */
export type Tint = "green" | "red" | "yellow" | "cyan" | "gray" | "blue" | "magenta";

/** How a task status looks: an icon (readable without colour) and a tint. */
export const TASK_LOOK: Readonly<Record<TaskStatus, { icon: string; tint: Tint | undefined }>> = {
  planned: { icon: "·", tint: "gray" },
  open: { icon: "○", tint: undefined },
  claimed: { icon: "◔", tint: "cyan" },
  in_progress: { icon: "◑", tint: "cyan" },
  verifying: { icon: "◕", tint: "blue" },
  pending_approval: { icon: "?", tint: "yellow" },
  done: { icon: "◉", tint: "green" },
  merged: { icon: "✔", tint: "green" },
  failed: { icon: "✖", tint: "red" },
  blocked: { icon: "⊘", tint: "red" },
  cancelled: { icon: "⊗", tint: "gray" },
};

/** How a run status looks. */
export const RUN_LOOK: Readonly<Record<RunStatus, { icon: string; tint: Tint | undefined }>> = {
  planning: { icon: "◌", tint: "cyan" },
  running: { icon: "▶", tint: "cyan" },
  paused: { icon: "⏸", tint: "yellow" },
  completed: { icon: "✔", tint: "green" },
  failed: { icon: "✖", tint: "red" },
  cancelled: { icon: "⊗", tint: "gray" },
};

/** Activity tones as tints. */
export const TONE_TINT: Readonly<Record<ActivityTone, Tint | undefined>> = {
  ok: "green",
  bad: "red",
  warn: "yellow",
  info: undefined,
  quiet: "gray",
};

/** Dollars, exact under $1 (core's one money format). */
export { formatUsd as usd } from "@bernstein/core";

/** `1:05`, `12:00`, `1:02:03`; `-` for unknown. */
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

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Cuts `text` to `width` terminal columns with an ellipsis, and pads it to exactly `width`.
 * Columns, not code units: a CJK character or an emoji takes two (string-width).
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const flat = text.replace(/\s*\n\s*/g, " ");
  const total = stringWidth(flat);
  if (total <= width) return flat + " ".repeat(width - total);
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(flat)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…${" ".repeat(width - 1 - used)}`;
}

/** A bar of `width` cells filled to `share` (0..1, clamped). */
export function bar(share: number, width: number): { filled: string; empty: string } {
  const cells = Math.max(0, Math.min(width, Math.round(Math.max(0, Math.min(1, share)) * width)));
  return { filled: "█".repeat(cells), empty: "░".repeat(width - cells) };
}

/** `anthropic/claude-sonnet-4-5` -> `claude-sonnet-4-5`. */
export function shortModel(model: string | null): string {
  if (!model) return "-";
  const slash = model.indexOf("/");
  return slash === -1 ? model : model.slice(slash + 1);
}
