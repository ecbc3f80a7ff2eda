import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_HEIGHT } from "./graph-layout.js";

describe("layoutGraph", () => {
  it("puts a task below the tasks it depends on, one edge per known dependency", () => {
    const { nodes, edges, width, height } = layoutGraph([
      { id: "a", dependsOn: [] },
      { id: "b", dependsOn: [] },
      { id: "c", dependsOn: ["a", "b", "gone"] },
    ]);
    const at = (id: string) => nodes.find((n) => n.id === id) as { x: number; y: number };
    expect(at("c").y).toBeGreaterThanOrEqual(at("a").y + NODE_HEIGHT);
    expect(at("c").y).toBeGreaterThanOrEqual(at("b").y + NODE_HEIGHT);
    expect(edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(["a->c", "b->c"]);
    expect(edges.every((e) => e.points.length >= 2)).toBe(true);
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(2 * NODE_HEIGHT);
  });

  it("lays out a 200-task plan with every node inside the drawing", () => {
    const tasks = Array.from({ length: 200 }, (_, i) => ({
      id: `t${i}`,
      dependsOn: i < 20 ? [] : [`t${i % 20}`, `t${i - 20}`],
    }));
    const { nodes, width, height } = layoutGraph(tasks);
    expect(nodes).toHaveLength(200);
    for (const n of nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.y + NODE_HEIGHT).toBeLessThanOrEqual(height + 1);
      expect(n.x).toBeLessThanOrEqual(width);
    }
  });
});
