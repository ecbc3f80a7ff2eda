import { Graph, layout } from "@dagrejs/dagre";

export interface GraphTask {
  id: string;
  dependsOn: readonly string[];
}

export interface NodeBox {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface EdgePath {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: EdgePath[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 48;

/**
 * Lays the tasks out as a dependency graph with dagre: dependencies above the tasks that wait
 * for them, edges pointing down. Edges to tasks outside the list are left out.
 */
export function layoutGraph(tasks: readonly GraphTask[]): GraphLayout {
  const graph = new Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 48, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((t) => t.id));
  for (const task of tasks) graph.setNode(task.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const task of tasks) {
    for (const dep of task.dependsOn) if (ids.has(dep)) graph.setEdge(dep, task.id);
  }
  layout(graph);
  const nodes = tasks.map((task) => {
    const { x, y } = graph.node(task.id) as { x: number; y: number };
    return { id: task.id, x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 };
  });
  const edges = graph.edges().map((e) => ({
    from: e.v,
    to: e.w,
    points: (graph.edge(e) as { points: { x: number; y: number }[] }).points,
  }));
  const { width = 0, height = 0 } = graph.graph() as { width?: number; height?: number };
  return { nodes, edges, width, height };
}
