import type { RunState } from "@bernstein/core";
import { useMemo } from "react";
import { useLocation } from "wouter";
import { useListKeys } from "../hooks/use-list-keys.js";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "../lib/graph-layout.js";
import { statusWord, TASK_LOOK } from "../lib/status.js";

const TITLE_CHARS = 23;

/**
 * The tasks as a graph (dagre): an arrow from each dependency to the task waiting for it,
 * nodes coloured by status and labelled with its icon and word. Nodes are links: Tab or the
 * arrow keys reach them, Enter opens the task.
 */
export default function DependencyGraph({ state }: { state: RunState }) {
  const [, navigate] = useLocation();
  const onKeyDown = useListKeys();
  // Statuses change all the time, the plan's shape never: lay it out once per shape.
  const shape = state.tasks.map((t) => `${t.id}<${t.dependsOn.join(",")}`).join(";");
  const graph = useMemo(() => layoutGraph(state.tasks), [shape]);
  const tasks = new Map(state.tasks.map((t) => [t.id, t]));
  if (state.tasks.length === 0) return <p>No tasks yet.</p>;
  return (
    <div className="graph-wrap">
      <svg
        className="graph"
        width={graph.width}
        height={graph.height}
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        onKeyDown={onKeyDown}
      >
        <title>Dependency graph of {state.tasks.length} tasks</title>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
          </marker>
        </defs>
        {graph.edges.map((edge) => (
          <path
            key={`${edge.from}-${edge.to}`}
            className="edge"
            d={`M${edge.points.map((p) => `${p.x},${p.y}`).join(" L")}`}
            markerEnd="url(#arrow)"
          />
        ))}
        {graph.nodes.map((node) => {
          const task = tasks.get(node.id);
          if (!task) return null;
          const look = TASK_LOOK[task.status];
          const href = `/runs/${state.id}/tasks/${task.id}`;
          const title = task.title.length > TITLE_CHARS ? `${task.title.slice(0, TITLE_CHARS - 1)}…` : task.title;
          return (
            <a
              key={node.id}
              href={href}
              data-nav=""
              data-node={task.id}
              data-status={task.status}
              onClick={(event) => {
                event.preventDefault();
                navigate(href);
              }}
            >
              <g transform={`translate(${node.x},${node.y})`} className={`node tone-${look.tone}`}>
                <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
                <text x="10" y="19" className="node-title">
                  {title}
                </text>
                <text x="10" y="37" className="node-status">
                  {look.icon} {statusWord(task.status)}
                </text>
              </g>
            </a>
          );
        })}
      </svg>
    </div>
  );
}
