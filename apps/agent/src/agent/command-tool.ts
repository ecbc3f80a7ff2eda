import type { WorkflowStep } from "cloudflare:workers";
import { type ArtifactStore, applyOverlay, type Overlay } from "@bernstein/artifacts";
import {
  type AttemptContext,
  type CoordinatorApi,
  checkCommand,
  commandEventType,
  ExecResult,
  formatZodError,
  type Manifest,
  START_RUNNER_HINT,
  toBernsteinError,
} from "@bernstein/core";
import type { Block } from "@bernstein/llm";
import { doStep, type Journal, RETRY, STEP, waitForTypedEvent } from "@bernstein/workflow";
import type { ToolBatchResult } from "./run-tools.js";
import { runToolBatch } from "./tool-batch.js";
import { TOOL_INPUTS } from "./tool-inputs.js";
import { Workspace } from "./workspace.js";

type ToolUse = Extract<Block, { type: "tool_use" }>;
type ToolResult = Extract<Block, { type: "tool_result" }>;

/** How long a command may wait for a runner to take it, on top of its own timeout. */
const QUEUE_WAIT_SECONDS = 30 * 60;

export interface CommandDeps {
  step: WorkflowStep;
  store: ArtifactStore;
  journal: Journal;
  coordinator: CoordinatorApi;
}

/**
 * A turn's tool calls when some are `run_command`: the file tools between the commands run in
 * batches as usual (`tools-N-i`, `runToolBatch`), and each command in steps of its own. A
 * restarted attempt never runs a finished command again: the coordinator knows each job by
 * its step (a repeat gets the same job, or its result), and only "no runner", which it does
 * not keep, is journaled. In call order: a command sees the files the calls before it wrote.
 */
export async function runToolsWithCommands(
  deps: CommandDeps,
  ctx: AttemptContext,
  base: Manifest,
  start: Overlay,
  calls: readonly ToolUse[],
  turn: number,
): Promise<ToolBatchResult> {
  const spill = { store: deps.store, runId: ctx.runId };
  const results: ToolResult[] = [];
  let overlay = start;
  for (let i = 0; i < calls.length; ) {
    const call = calls[i] as ToolUse;
    if (call.name === "run_command") {
      results.push(await runCommand(deps, ctx, applyOverlay(base, overlay), call, turn, i));
      i++;
      continue;
    }
    let end = i;
    while (end < calls.length && calls[end]?.name !== "run_command") end++;
    const part = calls.slice(i, end);
    const batch = await runToolBatch(
      deps.step,
      STEP.toolsPart(turn, i),
      spill,
      new Workspace(deps.store, base, overlay),
      part,
    );
    results.push(...batch.results);
    overlay = batch.overlay;
    if (batch.finished) return { results, overlay, finished: batch.finished };
    i = end;
  }
  return { results, overlay, finished: null };
}

/** One `run_command`: the policy, then the job on a runner and its result as the tool's answer. */
async function runCommand(
  deps: CommandDeps,
  ctx: AttemptContext,
  tree: Manifest,
  call: ToolUse,
  turn: number,
  index: number,
): Promise<ToolResult> {
  const error = (text: string): ToolResult => ({
    type: "tool_result",
    toolUseId: call.id,
    content: `Error: ${text}`,
    isError: true,
  });
  const parsed = TOOL_INPUTS.run_command.safeParse(call.input);
  if (!parsed.success) return error(`invalid input for run_command: ${formatZodError(parsed.error)}`);
  const { command } = parsed.data;
  const policy = ctx.commands;
  const check = checkCommand(policy, command);
  if (!check.allowed) return error(`${check.message}; the command was not run`);
  const timeoutSeconds = Math.min(parsed.data.timeout_seconds ?? policy.timeoutSeconds, policy.timeoutSeconds);
  const name = STEP.command(turn, index);
  const started = await doStep(
    deps.step,
    name,
    RETRY.report,
    async () =>
      deps.coordinator.startCommand(ctx.runId, {
        instanceId: ctx.instanceId,
        step: name,
        command,
        timeoutSeconds,
        manifest: await deps.store.putManifest(tree),
      }),
    // A runner may have connected since: the replayed turn must still read "no runner".
    { journal: deps.journal, journalIf: (answer) => answer.kind === "no_runner" },
  );
  if (started.kind === "no_runner") {
    return error(
      `no runner connected, so the command cannot run; continue without it (the user can ${START_RUNNER_HINT})`,
    );
  }
  if (started.kind === "inactive") return error("the attempt is no longer active");
  let result = started.kind === "done" ? started.result : null;
  // Not journaled: after a restart it asks again, since a result sent while this instance was down never arrived.
  result ??= await doStep(deps.step, STEP.commandCheck(turn, index), RETRY.report, () =>
    deps.coordinator.commandResult(ctx.runId, started.jobId),
  );
  if (!result) {
    const timeout = `${timeoutSeconds + QUEUE_WAIT_SECONDS} seconds` as const;
    try {
      result = (
        await waitForTypedEvent(
          deps.step,
          STEP.commandWait(turn, index),
          { type: commandEventType(started.jobId), timeout },
          ExecResult,
        )
      ).payload;
    } catch (thrown) {
      const why = toBernsteinError(thrown).message;
      return error(`no result of the command within ${timeout} (${why}); continue without it`);
    }
  }
  return { type: "tool_result", toolUseId: call.id, content: describeResult(command, result), ...failed(result) };
}

function failed(result: ExecResult): { isError?: true } {
  return result.error || result.setupFailure ? { isError: true } : {};
}

/** What the model reads: how the command ended, then its (capped) output. */
function describeResult(command: string, result: ExecResult): string {
  if (result.error) return `Error: \`${command}\` did not run: ${result.error}`;
  if (result.setupFailure) {
    const { command: setup, exitCode } = result.setupFailure;
    return `Error: \`${command}\` did not run: the workspace setup \`${setup}\` failed (exit ${exitCode ?? "none"}):\n${result.output}`;
  }
  const took = `${(result.durationMs / 1000).toFixed(1)} s`;
  const how = result.timedOut
    ? `timed out after ${took} and was killed`
    : result.exitCode === null
      ? `was killed after ${took}`
      : `exit code ${result.exitCode} in ${took}`;
  const notes = [
    result.cutBytes > 0 ? `${result.cutBytes} of its ${result.outputBytes} output bytes were cut from the middle` : "",
    result.discardedCount > 0 ? `its changes to ${result.discardedCount} tracked files were discarded` : "",
  ].filter(Boolean);
  return [`$ ${command}`, `${how}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`, "", result.output].join("\n");
}
