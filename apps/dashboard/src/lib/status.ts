import type { ActivityTone, RunStatus, TaskStatus } from "@bernstein/core";

/** A status's colour family; the colour never stands alone (see `Look.icon` and the word). */
export type Tone = "ok" | "bad" | "warn" | "active" | "idle";

export interface Look {
  /** The same glyphs as the terminal monitor, so both read alike. */
  icon: string;
  tone: Tone;
}

export const TASK_LOOK: Readonly<Record<TaskStatus, Look>> = {
  planned: { icon: "·", tone: "idle" },
  open: { icon: "○", tone: "idle" },
  claimed: { icon: "◔", tone: "active" },
  in_progress: { icon: "◑", tone: "active" },
  verifying: { icon: "◕", tone: "active" },
  pending_approval: { icon: "?", tone: "warn" },
  done: { icon: "◉", tone: "ok" },
  merged: { icon: "✔", tone: "ok" },
  failed: { icon: "✖", tone: "bad" },
  blocked: { icon: "⊘", tone: "bad" },
  cancelled: { icon: "⊗", tone: "idle" },
};

export const RUN_LOOK: Readonly<Record<RunStatus, Look>> = {
  planning: { icon: "◌", tone: "active" },
  running: { icon: "▶", tone: "active" },
  paused: { icon: "⏸", tone: "warn" },
  completed: { icon: "✔", tone: "ok" },
  failed: { icon: "✖", tone: "bad" },
  cancelled: { icon: "⊗", tone: "idle" },
};

export const ACTIVITY_LOOK: Readonly<Record<ActivityTone, Look>> = {
  ok: { icon: "✔", tone: "ok" },
  bad: { icon: "✖", tone: "bad" },
  warn: { icon: "!", tone: "warn" },
  info: { icon: "•", tone: "active" },
  quiet: { icon: "·", tone: "idle" },
};

/** `pending_approval` -> `pending approval`. */
export function statusWord(status: string): string {
  return status.replace(/_/g, " ");
}
