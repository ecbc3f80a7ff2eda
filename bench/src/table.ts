import type { Results } from "./results.js";

type Side = Results["bernstein"];

/**
 * A row of the saturated part: a figure of both sides' medians, and the target it is held
 * against, by its name in the results (`<target>_ratio`, `targets.<target>_ratio_met`, ...).
 */
interface SaturatedRow {
  label: string;
  figure: keyof Side;
  target?: "overhead" | "workerd_cpu";
}

const SATURATED_ROWS: readonly SaturatedRow[] = [
  { label: "dispatch p50 (ms)", figure: "dispatch_p50_ms" },
  { label: "dispatch p99 (ms)", figure: "dispatch_p99_ms" },
  { label: "per-task overhead (slot-ms/task)", figure: "ms_per_task", target: "overhead" },
  { label: "slot held per task (ms, mean)", figure: "slot_busy_ms_per_task" },
  { label: "first claim -> completed (ms)", figure: "orchestration_wall_ms" },
  { label: "end to end, Node clock (ms)", figure: "end_to_end_ms" },
  { label: "tasks per second", figure: "tasks_per_second" },
  { label: "workerd CPU per task (ms)", figure: "workerd_cpu_ms_per_task", target: "workerd_cpu" },
  { label: "Node CPU per task (ms)", figure: "node_cpu_ms_per_task" },
  { label: "other jobs' CPU (% of machine)", figure: "others_cpu_pct" },
];

/** The realistic part's rows: dispatch at these percentiles, each held against its target. */
const REALISTIC_PERCENTILES = ["p50", "p99"] as const;

function cell(value: number | null, width = 12): string {
  return (value === null ? "n/a" : value.toFixed(1)).padStart(width);
}

function verdict(met: boolean | null): string {
  return met === null ? "n/a" : met ? "met" : "MISSED";
}

function times(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(2)}x`;
}

/** A ratio against its target: `1.95x, target <= 1.5x: MISSED`; `of` names what it is a ratio of, if not the floor. */
function against(ratio: number | null, atMost: number, met: boolean | null, of = ""): string {
  return `${times(ratio)}${of}, target <= ${atMost}x: ${verdict(met)}`;
}

function row(label: string, ours: number | null, floor: number | null, note = ""): string {
  return `${label.padEnd(34)}${cell(ours)}${cell(floor)}${note ? `   ${note}` : ""}`;
}

/** The results as a short table for the terminal: the parts that ran, with issue 12's targets. */
export function formatTable(results: Results): string {
  const t = results.targets;
  const w = results.workload;
  const header = `${"".padEnd(34)}${"bernstein".padStart(12)}${"floor".padStart(12)}`;
  const lines: string[] = [];
  if (w.rounds > 0) {
    lines.push(
      `saturated: ${w.tasks} independent tasks, ${w.max_agents} agents, instant scripted model, ${w.rounds} rounds (medians; dispatch pooled)`,
      "",
      header,
      ...SATURATED_ROWS.map(({ label, figure, target }) =>
        row(
          label,
          results.bernstein[figure],
          results.floor[figure],
          target && against(results[`${target}_ratio`], t[`${target}_ratio_at_most`], t[`${target}_ratio_met`]),
        ),
      ),
      "",
    );
  }
  const r = results.realistic;
  if (r) {
    lines.push(
      `realistic: model latency ${r.model_latency_ms} ms (dispatch pooled over its tasks)`,
      header,
      ...REALISTIC_PERCENTILES.map((p) =>
        row(
          `dispatch ${p} (ms)`,
          r[`dispatch_${p}_ms`],
          r[`floor_dispatch_${p}_ms`],
          against(
            t[`realistic_dispatch_${p}_ratio`],
            t.realistic_dispatch_ratio_at_most,
            t[`realistic_dispatch_${p}_met`],
          ),
        ),
      ),
      "",
    );
  }
  const s = results.scale;
  if (s) {
    lines.push(
      `scale: ${s.tasks} tasks, ${s.agents} agents (${s.completed ? "completed" : "DID NOT COMPLETE"})`,
      row(
        "workerd CPU per task (ms)",
        s.cpu_ms_per_task,
        null,
        against(t.scale_cpu_ratio, t.scale_cpu_ratio_at_most, t.scale_cpu_ratio_met, " of at 100"),
      ),
      row(`  the same at 100 tasks (ms)`, s.cpu_ms_per_task_at_100, null),
      row("peak workerd memory (MB)", s.peak_rss_mb, null),
      "",
    );
  }
  if (results.rounds.length > 0) {
    lines.push(
      "rounds: slot-ms/task bernstein / floor = ratio (other processes' CPU %, bernstein / floor)",
      ...results.rounds.map(
        (round, i) =>
          `  ${i + 1}: ${round.bernstein.ms_per_task} / ${round.floor.ms_per_task} = ${round.ratio} (${round.bernstein.others_cpu_pct ?? "n/a"} / ${round.floor.others_cpu_pct ?? "n/a"})`,
      ),
    );
  }
  return lines.join("\n").trimEnd();
}
