import { z } from "zod";

/** Validators of the tool inputs the model sends; a bad input is a tool error the model sees. */
export const TOOL_INPUTS = {
  list_files: z.object({ path: z.string().optional() }),
  read_file: z.object({
    path: z.string(),
    offset: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).optional(),
  }),
  search: z.object({ pattern: z.string().min(1), path: z.string().optional() }),
  write_file: z.object({ path: z.string().min(1), content: z.string() }),
  edit_file: z.object({ path: z.string().min(1), old_string: z.string().min(1), new_string: z.string() }),
  delete_file: z.object({ path: z.string().min(1) }),
  run_command: z.object({
    command: z.string().trim().min(1).max(2_000),
    timeout_seconds: z.number().int().min(1).optional(),
  }),
  finish: z.object({ summary: z.string() }),
} as const;

export type ToolName = keyof typeof TOOL_INPUTS;

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_INPUTS, name);
}
