import { isTerminalRunStatus, type RunState } from "@bernstein/core";
import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useNow } from "../hooks/use-now.js";
import { usd } from "../lib/format.js";
import { plotColumns } from "../lib/plot-data.js";

const HEIGHT = 220;

/** Colours from the stylesheet, so the plot follows the light or dark scheme. */
function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { text: v("--text-2"), grid: v("--line"), spend: v("--accent"), merged: v("--ok") };
}

function options(width: number): uPlot.Options {
  const c = palette();
  const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid } };
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  return {
    width,
    height: HEIGHT,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, usd: { range: (_u, _min, max) => [0, Math.max(max, 0.0001)] }, n: {} },
    axes: [
      axis,
      { ...axis, scale: "usd", values: (_u, ticks) => ticks.map((t) => usd(t)), size: 70 },
      { ...axis, scale: "n", side: 1, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => String(t)) },
    ],
    series: [
      {},
      {
        label: "Spend",
        scale: "usd",
        stroke: c.spend,
        width: 2,
        value: (_u, v) => (v === null ? "-" : usd(v)),
        ...(stepped ? { paths: stepped } : {}),
      },
      {
        label: "Merged tasks",
        scale: "n",
        stroke: c.merged,
        width: 2,
        dash: [6, 4],
        ...(stepped ? { paths: stepped } : {}),
      },
    ],
  };
}

/** Spend and merged tasks over time (uPlot), with the same figures in words for screen readers. */
export default function SpendPlot({ state }: { state: RunState }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [scheme, setScheme] = useState(0);
  const now = useNow(!isTerminalRunStatus(state.status), 5_000);
  const data = useMemo(() => plotColumns(state, now), [state, now]);
  const last = state.timeline[state.timeline.length - 1];

  useEffect(() => {
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const changed = () => setScheme((n) => n + 1);
    media.addEventListener("change", changed);
    return () => media.removeEventListener("change", changed);
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(options(el.clientWidth || 320), data, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth || 320, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="plot">
      <div ref={box} className="plot-box" aria-hidden="true" />
      <figcaption>
        Spent {usd(last?.spentUsd ?? 0)}
        {state.budgetUsd === null ? "" : ` of a ${usd(state.budgetUsd)} budget`}, {last?.merged ?? 0} of{" "}
        {state.tasks.length} tasks merged, over {state.timeline.length} cost and merge events.
      </figcaption>
    </figure>
  );
}
