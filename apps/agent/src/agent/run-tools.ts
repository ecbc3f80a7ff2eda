import type { Overlay } from "@bernstein/artifacts";
import { BernsteinError, compileSearchPattern, formatZodError } from "@bernstein/core";
import type { Block } from "@bernstein/llm";
import { isToolName, TOOL_INPUTS, type ToolName } from "./tool-inputs.js";
import { LIMITS, toolError, type Workspace } from "./workspace.js";

type ToolUse = Extract<Block, { type: "tool_use" }>;
type ToolResult = Extract<Block, { type: "tool_result" }>;

/** What one tools step returns: the answers, the new overlay, and the summary once finished. */
export interface ToolBatchResult {
  results: ToolResult[];
  overlay: Overlay;
  finished: { summary: string } | null;
}

/**
 * Runs one turn's tool calls in order against the workspace. A tool's own failure (bad input,
 * a missing file, an ambiguous edit) becomes an error result the model reads; anything else
 * (R2 down) is thrown so the step retries.
 */
export async function runTools(workspace: Workspace, calls: readonly ToolUse[]): Promise<ToolBatchResult> {
  const results: ToolResult[] = [];
  let finished: { summary: string } | null = null;
  for (const call of calls) {
    try {
      const output = await runTool(workspace, call);
      if (call.name === "finish") finished = { summary: String(call.input.summary ?? "").trim() };
      results.push({ type: "tool_result", toolUseId: call.id, content: clip(output) });
    } catch (error) {
      if (!(error instanceof BernsteinError) || error.code !== "tool_error") throw error;
      results.push({ type: "tool_result", toolUseId: call.id, content: `Error: ${error.message}`, isError: true });
    }
  }
  return { results, overlay: workspace.overlay, finished };
}

async function runTool(ws: Workspace, call: ToolUse): Promise<string> {
  if (!isToolName(call.name)) throw toolError(`unknown tool ${call.name}`);
  const name: ToolName = call.name;
  const parsed = TOOL_INPUTS[name].safeParse(call.input);
  if (!parsed.success) throw toolError(`invalid input for ${name}: ${formatZodError(parsed.error)}`);
  const input = parsed.data as Record<string, unknown>;
  switch (name) {
    case "list_files":
      return listFiles(ws, (input.path as string | undefined) ?? "");
    case "read_file":
      return readFile(ws, input.path as string, input.offset as number | undefined, input.limit as number | undefined);
    case "search":
      return search(ws, input.pattern as string, (input.path as string | undefined) ?? "");
    case "write_file":
      await ws.write(input.path as string, input.content as string);
      return `wrote ${ws.path(input.path as string)}`;
    case "edit_file":
      return editFile(ws, input.path as string, input.old_string as string, input.new_string as string);
    case "delete_file":
      ws.delete(input.path as string);
      return `deleted ${ws.path(input.path as string)}`;
    case "run_command":
      // Runs in steps of its own (`command-tool.ts`): a batch of file tools never holds one.
      throw toolError("run_command cannot run in a batch of file tools");
    case "finish":
      return "finished";
  }
}

function listFiles(ws: Workspace, dir: string): string {
  const files = ws.list(dir);
  if (files.length === 0) return dir ? `no files under ${dir}` : "the repository is empty";
  const shown = files.slice(0, LIMITS.listEntries).join("\n");
  return files.length > LIMITS.listEntries ? `${shown}\n… ${files.length - LIMITS.listEntries} more files` : shown;
}

async function readFile(ws: Workspace, path: string, offset = 1, limit: number = LIMITS.readLines): Promise<string> {
  const lines = (await ws.read(path)).split("\n");
  const slice = lines.slice(offset - 1, offset - 1 + limit);
  if (slice.length === 0 && lines.length > 0 && offset > 1) throw toolError(`${path} has only ${lines.length} lines`);
  const rest = lines.length - (offset - 1 + slice.length);
  return rest > 0
    ? `${slice.join("\n")}\n… ${rest} more lines (read with offset ${offset + slice.length})`
    : slice.join("\n");
}

/**
 * `search`: the pattern runs on RE2 (linear time, see core's `compileSearchPattern`), so no
 * pattern can stall the Worker; one call also stops at a budget of bytes read, wall time and
 * matches, and says where it stopped.
 */
async function search(ws: Workspace, pattern: string, dir: string): Promise<string> {
  const regex = compileSearchPattern(pattern, "tool_error");
  const matches: string[] = [];
  const skipped: string[] = [];
  const started = Date.now();
  let bytes = 0;
  let sinceYield = 0;
  let stopped: string | undefined;
  const files = ws.list(dir).filter((path) => !ws.isSymlink(path));
  for (const [n, path] of files.slice(0, LIMITS.searchFiles).entries()) {
    if (bytes >= LIMITS.searchBytes || Date.now() - started >= LIMITS.searchMs) {
      stopped = `searched ${n} of ${files.length} files (${bytes} bytes, ${Date.now() - started} ms): the budget of one search is ${LIMITS.searchBytes} bytes and ${LIMITS.searchMs} ms; narrow it with path`;
      break;
    }
    if (ws.size(path) > LIMITS.searchFileBytes) {
      skipped.push(path);
      continue;
    }
    const text = await ws.read(path).catch((error: unknown) => {
      if (error instanceof BernsteinError && error.code === "tool_error") return ""; // binary: nothing to match
      throw error;
    });
    bytes += text.length;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length && matches.length < LIMITS.searchMatches; i++) {
      const line = lines[i] as string;
      if (regex.test(line)) matches.push(`${path}:${i + 1}: ${line.slice(0, 300)}`);
      sinceYield += line.length;
      if (sinceYield >= LIMITS.searchSliceBytes) {
        sinceYield = 0;
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the Worker serve other requests
      }
    }
    if (matches.length >= LIMITS.searchMatches) {
      stopped = `stopped at ${LIMITS.searchMatches} matches; narrow the pattern or the path`;
      break;
    }
  }
  if (!stopped && files.length > LIMITS.searchFiles)
    stopped = `searched the first ${LIMITS.searchFiles} of ${files.length} files`;
  const notes = [
    ...(skipped.length > 0
      ? [`… not searched (over ${LIMITS.searchFileBytes} bytes): ${skipped.slice(0, 20).join(", ")}`]
      : []),
    ...(stopped ? [`… search budget exceeded: ${stopped}`] : []),
  ];
  return [matches.length === 0 ? "no matches" : matches.join("\n"), ...notes].join("\n");
}

async function editFile(ws: Workspace, path: string, oldString: string, newString: string): Promise<string> {
  const text = await ws.read(path);
  const first = text.indexOf(oldString);
  if (first < 0) throw toolError(`old_string not found in ${path}`);
  if (text.indexOf(oldString, first + 1) >= 0) {
    throw toolError(`old_string occurs more than once in ${path}; include more context so it matches exactly once`);
  }
  await ws.write(path, text.slice(0, first) + newString + text.slice(first + oldString.length));
  return `edited ${ws.path(path)}`;
}

function clip(text: string): string {
  if (text.length <= LIMITS.resultChars) return text;
  return `${text.slice(0, LIMITS.resultChars)}\n… output cut at ${LIMITS.resultChars} characters`;
}
