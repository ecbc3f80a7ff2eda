import type { ToolSpec } from "@bernstein/llm";

/** The planner's one tool (ARCHITECTURE.md 4.3). */
export const SUBMIT_PLAN: ToolSpec = {
  name: "submit_plan",
  description:
    "Submit the plan: tasks that together reach the goal. Tasks run in parallel unless depends_on orders them; give each task the files it owns so parallel tasks do not edit the same files.",
  inputSchema: {
    type: "object",
    properties: {
      tasks: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string", description: "Plan-local id such as t1" },
            title: { type: "string" },
            description: { type: "string", description: "What to do, precisely enough for another engineer" },
            role: { type: "string", description: "backend, frontend, qa, docs, devops, ..." },
            priority: { type: "integer", minimum: 0, maximum: 9, description: "0 is most urgent; default 2" },
            depends_on: { type: "array", items: { type: "string" } },
            owned_files: { type: "array", items: { type: "string" }, description: "Repo paths or globs" },
            completion_signals: {
              type: "array",
              description:
                'Checks of the result. test_passes: a shell command run on the result (exit 0 passes), the narrowest test that proves the task, e.g. "node --test test/mul.test.js". file_contains: "<path> :: <text>".',
              items: {
                type: "object",
                properties: {
                  type: { type: "string", enum: ["test_passes", "path_exists", "glob_exists", "file_contains"] },
                  value: { type: "string" },
                },
                required: ["type", "value"],
              },
            },
          },
          required: ["id", "title", "description", "role"],
        },
      },
    },
    required: ["tasks"],
  },
};
