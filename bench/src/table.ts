import type { Results } from "./results.js";

function cell(value: number | null, width = 12): string {
  return (value === null ? "n/a" : value.toFixed(1)).padStart(width);
}

function verdict(met: boolean | null): string {
  return met === null ? "n/a" : met ? "met" : "MISSED";
}

function times(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(2)}x`;
}

/** The results as a short table for the terminal: the parts that ran, with issue 12's targets. */
export function formatTable(results: Results): string {
  const b = results.bernstein;
  const f = results.floor;
  const t = results.targets;
  const w = results.workload;
  const row = (label: string, ours: number | null, floor: number | null, note = "") =>
    `${label.padEnd(34)}${cell(ours)}${cell(floor)}${note ? `   ${note}` : ""}`;
  const header = `${"".padEnd(34)}${"bernstein".padStart(12)}${"floor".padStart(12)}`;
  const lines: string[] = [];
  if (w.rounds > 0) {
    lines.push(
      `saturated: ${w.tasks} independent tasks, ${w.max_agents} agents, instant scripted model, ${w.rounds} rounds (medians; dispatch pooled)`,
      "",
      header,
      row("dispatch p50 (ms)", results.dispatch_p50_ms, f.dispatch_p50_ms),
      row("dispatch p99 (ms)", results.dispatch_p99_ms, f.dispatch_p99_ms),
      row(
        "per-task overhead (slot-ms/task)",
        results.overhead_ms_per_task,
        results.floor_ms_per_task,
        `${times(results.overhead_ratio)}, target <= ${t.overhead_ratio_at_most}x: ${verdict(t.overhead_ratio_met)}`,
      ),
      row("slot held per task (ms, mean)", b.slot_busy_ms_per_task, f.slot_busy_ms_per_task),
      row("first claim -> completed (ms)", b.orchestration_wall_ms, f.orchestration_wall_ms),
      row("end to end, Node clock (ms)", b.end_to_end_ms, f.end_to_end_ms),
      row("tasks per second", b.tasks_per_second, f.tasks_per_second),
      row(
        "workerd CPU per task (ms)",
        b.workerd_cpu_ms_per_task,
        f.workerd_cpu_ms_per_task,
        `${times(results.workerd_cpu_ratio)}, target <= ${t.workerd_cpu_ratio_at_most}x: ${verdict(t.workerd_cpu_ratio_met)}`,
      ),
      row("Node CPU per task (ms)", b.node_cpu_ms_per_task, f.node_cpu_ms_per_task),
      row("other jobs' CPU (% of machine)", b.others_cpu_pct, f.others_cpu_pct),
      "",
    );
  }
  const r = results.realistic;
  if (r) {
    const target = `target <= ${t.realistic_dispatch_ratio_at_most}x`;
    lines.push(
      `realistic: model latency ${r.model_latency_ms} ms (dispatch pooled over its tasks)`,
      header,
      row(
        "dispatch p50 (ms)",
        r.dispatch_p50_ms,
        r.floor_dispatch_p50_ms,
        `${times(t.realistic_dispatch_p50_ratio)}, ${target}: ${verdict(t.realistic_dispatch_p50_met)}`,
      ),
      row(
        "dispatch p99 (ms)",
        r.dispatch_p99_ms,
        r.floor_dispatch_p99_ms,
        `${times(t.realistic_dispatch_p99_ratio)}, ${target}: ${verdict(t.realistic_dispatch_p99_met)}`,
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
        `${times(t.scale_cpu_ratio)} of at 100, target <= ${t.scale_cpu_ratio_at_most}x: ${verdict(t.scale_cpu_ratio_met)}`,
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
