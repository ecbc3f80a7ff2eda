import type { WorkflowStep } from "cloudflare:workers";
import type { ArtifactStore } from "@bernstein/artifacts";
import type { Block } from "@bernstein/llm";
import { doStep, RETRY } from "@bernstein/workflow";
import { runTools, type ToolBatchResult } from "./run-tools.js";
import type { ToolName } from "./tool-inputs.js";
import type { Workspace } from "./workspace.js";

type ToolUse = Extract<Block, { type: "tool_use" }>;

/** The tools that read or write R2; the others work on the tree in memory. */
const STORAGE_TOOLS: ReadonlySet<string> = new Set<ToolName>(["read_file", "search", "write_file", "edit_file"]);

/** True when a batch of these calls reads or writes R2 (so it runs as a step). */
export function touchesStorage(calls: readonly ToolUse[]): boolean {
  return calls.some((call) => STORAGE_TOOLS.has(call.name));
}

/**
 * A batch of file tools as the step `name` (retried on a transient R2 error; a large result
 * spilled). Not journaled: tools are a function of the tree and the calls (blobs are
 * content-addressed), so after a restart they run again alike. A batch that touches no storage
 * (`finish`, `list_files`, `delete_file`) runs in place, without a step: there is nothing to
 * retry or keep, and its result is the same on every replay.
 */
export async function runToolBatch(
  step: WorkflowStep,
  name: string,
  spill: { store: ArtifactStore; runId: string },
  workspace: Workspace,
  calls: readonly ToolUse[],
): Promise<ToolBatchResult> {
  if (!touchesStorage(calls)) return runTools(workspace, calls);
  return doStep(step, name, RETRY.tools, () => runTools(workspace, calls), spill);
}
