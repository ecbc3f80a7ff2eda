import type { Results } from "./results.js";

function cell(value: number | null, width = 12): string {
  return (value === null ? "n/a" : value.toFixed(1)).padStart(width);
}

function verdict(met: boolean): string {
  return met ? "met" : "MISSED";
}

/** The results as a short table for the terminal. */
export function formatTable(results: Results): string {
  const b = results.bernstein;
  const f = results.floor;
  const t = results.targets;
  const w = results.workload;
  const row = (label: string, ours: number | null, floor: number | null, note = "") =>
    `${label.padEnd(34)}${cell(ours)}${cell(floor)}${note ? `   ${note}` : ""}`;
  const lines = [
    `${w.tasks} independent tasks, ${w.max_agents} agents, instant scripted model, ${w.rounds} rounds (medians; dispatch pooled)`,
    "",
    `${"".padEnd(34)}${"bernstein".padStart(12)}${"floor".padStart(12)}`,
    row(
      "dispatch p50 (ms)",
      results.dispatch_p50_ms,
      f.dispatch_p50_ms,
      `target < ${t.dispatch_p50_ms_below}: ${verdict(t.dispatch_p50_met)}`,
    ),
    row("dispatch p99 (ms)", results.dispatch_p99_ms, f.dispatch_p99_ms),
    row(
      "per-task overhead (slot-ms/task)",
      results.overhead_ms_per_task,
      results.floor_ms_per_task,
      `ratio ${results.overhead_ratio.toFixed(2)}, target <= ${t.overhead_ratio_at_most}: ${verdict(t.overhead_ratio_met)}`,
    ),
    row("slot held per task (ms, mean)", b.slot_busy_ms_per_task, f.slot_busy_ms_per_task),
    row("first claim -> completed (ms)", b.orchestration_wall_ms, f.orchestration_wall_ms),
    row("end to end, Node clock (ms)", b.end_to_end_ms, f.end_to_end_ms),
    row("tasks per second", b.tasks_per_second, f.tasks_per_second),
    row(
      "workerd CPU per task (ms)",
      b.workerd_cpu_ms_per_task,
      f.workerd_cpu_ms_per_task,
      results.workerd_cpu_ratio === null ? "" : `ratio ${results.workerd_cpu_ratio.toFixed(2)}`,
    ),
    row("Node CPU per task (ms)", b.node_cpu_ms_per_task, f.node_cpu_ms_per_task),
    row("other jobs' CPU (% of machine)", b.others_cpu_pct, f.others_cpu_pct),
    "",
    `realistic: model latency ${results.realistic.model_latency_ms} ms (dispatch pooled over its tasks)`,
    row("dispatch p50 (ms)", results.realistic.dispatch_p50_ms, results.realistic.floor_dispatch_p50_ms),
    row("dispatch p99 (ms)", results.realistic.dispatch_p99_ms, results.realistic.floor_dispatch_p99_ms),
    "",
    `scale: ${results.scale.tasks} tasks, ${results.scale.agents} agents (${results.scale.completed ? "completed" : "DID NOT COMPLETE"})`,
    row("workerd CPU per task (ms)", results.scale.cpu_ms_per_task, null),
    row(`  the same at 100 tasks (ms)`, results.scale.cpu_ms_per_task_at_100, null),
    row("peak workerd memory (MB)", results.scale.peak_rss_mb, null),
    "",
    "rounds: slot-ms/task bernstein / floor = ratio (other processes' CPU %, bernstein / floor)",
    ...results.rounds.map(
      (r, i) =>
        `  ${i + 1}: ${r.bernstein.ms_per_task} / ${r.floor.ms_per_task} = ${r.ratio} (${r.bernstein.others_cpu_pct ?? "n/a"} / ${r.floor.others_cpu_pct ?? "n/a"})`,
    ),
  ];
  return lines.join("\n");
}
