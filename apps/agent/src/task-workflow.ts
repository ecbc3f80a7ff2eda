import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import {
  type ArtifactStore,
  applyOverlay,
  createArtifactStore,
  diffManifests,
  keys,
  type Overlay,
  sha256Hex,
  unifiedDiff,
} from "@bernstein/artifacts";
import {
  type AttemptContext,
  type AttemptReport,
  attemptInstanceId,
  BernsteinError,
  type Manifest,
  parseModelRef,
  type TaskWorkflowParams,
  toBernsteinError,
  type Usage,
} from "@bernstein/core";
import { type Block, createModelClientFor, type Message, modelConfigFromEnv } from "@bernstein/llm";
import { doStep, RETRY, STEP } from "@bernstein/workflow";
import { REMINDER, systemPrompt, taskMessage } from "./agent/prompt.js";
import { runTools } from "./agent/run-tools.js";
import { AGENT_TOOLS } from "./agent/tool-specs.js";
import { writeTranscript } from "./agent/transcript.js";
import { Workspace } from "./agent/workspace.js";
import { coordinatorFor } from "./coordinator.js";
import type { Env } from "./env.js";

/** Output tokens one attempt may spend across all its turns. */
const MAX_ATTEMPT_OUTPUT_TOKENS = 200_000;

interface TurnResult {
  active: boolean;
  content: Block[];
  stopReason: string;
  usage: Usage;
}

/**
 * One attempt at one task. Steps: load (marks the task in progress) -> turn-N (one model
 * call) / tools-N (that turn's tool calls) until `finish` -> patch -> report. Step results
 * are small or spilled to R2, so replays are cheap and within the 1 MiB step limit.
 */
export class TaskWorkflow extends WorkflowEntrypoint<Env, TaskWorkflowParams> {
  override async run(event: WorkflowEvent<TaskWorkflowParams>, step: WorkflowStep): Promise<AttemptReport> {
    const { runId, taskId, attempt } = event.payload;
    const instanceId = attemptInstanceId(runId, taskId, attempt);
    const coordinator = coordinatorFor(this.env, runId);
    const store = createArtifactStore(this.env.ARTIFACTS);
    const spill = { store, runId };

    const ctx = await doStep(step, STEP.load, RETRY.report, () => coordinator.attemptStarted(runId, instanceId));
    const report = ctx.active
      ? await this.work(ctx, step, store).catch((error: unknown) => failure(instanceId, error))
      : cancelled(instanceId, 0);
    await doStep(step, STEP.report, RETRY.report, () => coordinator.attemptFinished(runId, report), spill);
    return report;
  }

  private async work(ctx: AttemptContext, step: WorkflowStep, store: ArtifactStore): Promise<AttemptReport> {
    const spill = { store, runId: ctx.runId };
    const base = await loadManifest(store, ctx.baseManifest);
    const system = systemPrompt(ctx);
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: taskMessage(ctx, Object.keys(base).sort()) }] },
    ];
    let overlay: Overlay = {};
    let reminded = false;
    let outputTokens = 0;
    for (let turn = 0; turn < ctx.maxTurns; turn++) {
      const reply = await doStep(
        step,
        STEP.turn(turn),
        RETRY.model,
        () => this.turn(ctx, store, system, messages, turn),
        spill,
      );
      if (!reply.active) return cancelled(ctx.instanceId, turn);
      outputTokens += reply.usage.outputTokens;
      if (outputTokens > MAX_ATTEMPT_OUTPUT_TOKENS) {
        throw new BernsteinError(
          "limit_exceeded",
          `the attempt used more than ${MAX_ATTEMPT_OUTPUT_TOKENS} output tokens`,
        );
      }
      messages.push({ role: "assistant", content: reply.content });
      const calls = reply.content.filter((b): b is Extract<Block, { type: "tool_use" }> => b.type === "tool_use");
      if (calls.length === 0) {
        if (reminded) throw new BernsteinError("no_finish", "the model stopped calling tools without calling finish");
        reminded = true;
        messages.push({ role: "user", content: [{ type: "text", text: REMINDER }] });
        continue;
      }
      const batch = await doStep(
        step,
        STEP.tools(turn),
        RETRY.tools,
        () => runTools(new Workspace(store, base, overlay), calls),
        spill,
      );
      overlay = batch.overlay;
      if (batch.finished) return this.finish(ctx, step, store, base, overlay, batch.finished.summary, turn + 1);
      messages.push({ role: "user", content: batch.results });
    }
    throw new BernsteinError("max_turns", `the task was not finished within ${ctx.maxTurns} turns`);
  }

  /** One model call: skipped (inactive) when the attempt was cancelled or superseded meanwhile. */
  private async turn(
    ctx: AttemptContext,
    store: ArtifactStore,
    system: string,
    messages: Message[],
    turn: number,
  ): Promise<TurnResult> {
    const coordinator = coordinatorFor(this.env, ctx.runId);
    if (!(await coordinator.attemptActive(ctx.runId, ctx.instanceId))) {
      return { active: false, content: [], stopReason: "other", usage: emptyUsage() };
    }
    const ref = parseModelRef(ctx.model);
    const client = createModelClientFor(ref, modelConfigFromEnv(this.env as unknown as Record<string, unknown>));
    const response = await client.complete({
      model: ref.model,
      system,
      messages,
      tools: AGENT_TOOLS,
      toolChoice: "auto",
      maxOutputTokens: ctx.maxOutputTokens,
    });
    await coordinator.recordUsage(ctx.runId, {
      instanceId: ctx.instanceId,
      step: `turn-${turn}`,
      model: ctx.model,
      usage: response.usage,
    });
    const content: Block[] = response.content.length > 0 ? response.content : [{ type: "text", text: "(no reply)" }];
    await writeTranscript(store, ctx, system, [...messages, { role: "assistant", content }]);
    return { active: true, content, stopReason: response.stopReason, usage: response.usage };
  }

  private async finish(
    ctx: AttemptContext,
    step: WorkflowStep,
    store: ArtifactStore,
    base: Manifest,
    overlay: Overlay,
    summary: string,
    turns: number,
  ): Promise<AttemptReport> {
    const patch = await doStep(step, STEP.patch, RETRY.storage, async () => {
      const result = applyOverlay(base, overlay);
      const resultManifest = await store.putManifest(result);
      const text = await unifiedDiff(base, result, (sha) => store.getBlobText(sha));
      const patchKey = keys.attempt(ctx.runId, ctx.taskId, ctx.attempt, "patch.diff");
      await store.putText(patchKey, text);
      const changes = diffManifests(base, result);
      return {
        resultManifest,
        patchKey,
        patchSha256: await sha256Hex(text),
        changedFiles: [...changes.added, ...changes.modified, ...changes.deleted].sort(),
      };
    });
    return {
      instanceId: ctx.instanceId,
      outcome: "succeeded",
      turns,
      summary: summary || null,
      error: null,
      ...patch,
    };
  }
}

async function loadManifest(store: ArtifactStore, sha: string): Promise<Manifest> {
  const manifest = await store.getManifest(sha);
  if (!manifest) throw new BernsteinError("not_found", `base snapshot ${sha} is missing from R2`);
  return manifest;
}

function failure(instanceId: string, error: unknown): AttemptReport {
  const err = toBernsteinError(error);
  return { ...emptyReport(instanceId, 0), outcome: "failed", error: { code: err.code, message: err.message } };
}

function cancelled(instanceId: string, turns: number): AttemptReport {
  return { ...emptyReport(instanceId, turns), outcome: "cancelled" };
}

function emptyReport(instanceId: string, turns: number): AttemptReport {
  return {
    instanceId,
    outcome: "failed",
    turns,
    summary: null,
    error: null,
    resultManifest: null,
    patchKey: null,
    patchSha256: null,
    changedFiles: [],
  };
}

function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}
