import type { AttemptContext } from "@bernstein/core";
import type { ToolSpec } from "@bernstein/llm";

/** The agent's tools, named and shaped as ARCHITECTURE.md 4.3 fixes them. */
export const AGENT_TOOLS: ToolSpec[] = [
  {
    name: "list_files",
    description: "List the files of the repository (as your changes leave it), optionally under a directory.",
    inputSchema: {
      type: "object",
      properties: { path: { type: "string", description: "Directory, repo-relative. Default: the root." } },
    },
  },
  {
    name: "read_file",
    description: "Read a text file. offset is the first line (1-based), limit the number of lines.",
    inputSchema: {
      type: "object",
      properties: {
        path: { type: "string" },
        offset: { type: "integer", minimum: 1 },
        limit: { type: "integer", minimum: 1 },
      },
      required: ["path"],
    },
  },
  {
    name: "search",
    description: "Search file contents with a regular expression; returns path:line: text for each match.",
    inputSchema: {
      type: "object",
      properties: {
        pattern: { type: "string", description: "JavaScript regular expression" },
        path: { type: "string", description: "Directory or file to search under. Default: the root." },
      },
      required: ["pattern"],
    },
  },
  {
    name: "write_file",
    description: "Create or replace a file with the given content.",
    inputSchema: {
      type: "object",
      properties: { path: { type: "string" }, content: { type: "string" } },
      required: ["path", "content"],
    },
  },
  {
    name: "edit_file",
    description: "Replace old_string with new_string in a file. old_string must occur exactly once.",
    inputSchema: {
      type: "object",
      properties: { path: { type: "string" }, old_string: { type: "string" }, new_string: { type: "string" } },
      required: ["path", "old_string", "new_string"],
    },
  },
  {
    name: "delete_file",
    description: "Delete a file.",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
  {
    name: "run_command",
    description:
      "Run a shell command on a runner in your current tree (the repository with your changes so far) and get its exit code, duration and output (long output keeps its start and end). Use it to run tests: the narrowest first. Files the command changes are discarded; change files only with the file tools.",
    inputSchema: {
      type: "object",
      properties: {
        command: { type: "string", description: "a shell command line, run with /bin/sh -c at the repository root" },
        timeout_seconds: {
          type: "integer",
          minimum: 1,
          description: "stop it after this many seconds (capped by the run's limit)",
        },
      },
      required: ["command"],
    },
  },
  {
    name: "finish",
    description: "Call when the task is complete. summary says what you changed and why, in a few sentences.",
    inputSchema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] },
  },
];

/** The tools of one attempt: all of them, without `run_command` when the run turned commands off. */
export function agentTools(ctx: Pick<AttemptContext, "commands">): ToolSpec[] {
  return ctx.commands.enabled ? AGENT_TOOLS : AGENT_TOOLS.filter((tool) => tool.name !== "run_command");
}
