import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { type ArtifactStore, createArtifactStore, type Overlay } from "@bernstein/artifacts";
import {
  ATTEMPT_EVENT_SCHEMAS,
  ATTEMPT_EVENTS,
  type AttemptContext,
  type AttemptReport,
  type AttemptSubmission,
  attemptInstanceId,
  BernsteinError,
  decisionEvent,
  type ErrorJson,
  type FinalDecision,
  type Manifest,
  parseModelRef,
  type TaskWorkflowParams,
  toBernsteinError,
} from "@bernstein/core";
import { type Block, createModelClientFor, type Message, modelConfigFromEnv } from "@bernstein/llm";
import { createJournal, doStep, type Journal, RETRY, STEP, waitForTypedEvent } from "@bernstein/workflow";
import { runToolsWithCommands } from "./agent/command-tool.js";
import { makePatch, type Patch } from "./agent/patch.js";
import { REMINDER, systemPrompt, taskMessage } from "./agent/prompt.js";
import { runToolBatch } from "./agent/tool-batch.js";
import { agentTools } from "./agent/tool-specs.js";
import { type Reply, type ReplyFacts, readReplies, Transcript, writeTranscript } from "./agent/transcript.js";
import { Workspace } from "./agent/workspace.js";
import { rememberWrittenBlobs } from "./agent/written-blobs.js";
import { budgetRequestFor, sizedTo } from "./call-budget.js";
import { coordinatorFor } from "./coordinator.js";
import type { Env } from "./env.js";
import { callUntilAnswered, type Outage, outageOf, type Parked, type Stopped } from "./model-outage.js";

/** Output tokens one attempt may spend across all its turns. */
const MAX_ATTEMPT_OUTPUT_TOKENS = 200_000;
/** How long a submitted attempt waits for its verification, and for a human's approval. */
const VERIFY_WAIT = "2 hours";
const APPROVAL_WAIT = "7 days";

/** What a turn's model call ends with: a reply, or the attempt inactive, or stopped by the budget. */
type TurnAnswer = ({ kind: "reply" } & Reply) | { kind: "inactive" } | Stopped;

/**
 * One attempt at one task. Steps: load -> turn-N (one model call, after reserving its
 * worst-case cost) / tools-N until `finish` -> patch (with the completion signals) -> submit,
 * then waits for the coordinator's decision (`verify-result`, `approval`) -> report. Step
 * results are small or spilled to R2, so replays are cheap and within the 1 MiB step limit.
 * A restarted instance (locally, one stopped mid-run starts again from its first step) must not
 * do twice what costs or decides: the coordinator answers `load` and `submit` again alike for
 * the same instance (and says the instance is `resumed`), and the model replies are read back
 * from the transcript each turn writes. Only a resumed instance reads anything back; the steps
 * between are functions of those over content-addressed R2, and run again alike.
 */
export class TaskWorkflow extends WorkflowEntrypoint<Env, TaskWorkflowParams> {
  override async run(event: WorkflowEvent<TaskWorkflowParams>, step: WorkflowStep): Promise<AttemptReport> {
    const { runId, taskId, attempt } = event.payload;
    const instanceId = attemptInstanceId(runId, taskId, attempt);
    const coordinator = coordinatorFor(this.env, runId);
    // The blobs its tools write are read back (the patch's diff) from memory.
    const store = rememberWrittenBlobs(createArtifactStore(this.env.ARTIFACTS));
    const ctx = await doStep(step, STEP.load, RETRY.report, () => coordinator.attemptStarted(runId, instanceId));
    // What must not run twice besides the turns (commands, budget waits): read only when resumed.
    const journal = createJournal(store, runId, instanceId, { resumed: ctx.resumed });
    const report = ctx.active ? await this.work(ctx, step, store, journal) : ending(instanceId, 0, "cancelled", null);
    // Not journaled: finishing an attempt twice changes nothing the first did not (the
    // coordinator ends only a running attempt, and clears its memory of it either way).
    await doStep(step, STEP.report, RETRY.report, () => coordinator.attemptFinished(runId, report));
    return report;
  }

  private async work(
    ctx: AttemptContext,
    step: WorkflowStep,
    store: ArtifactStore,
    journal: Journal,
  ): Promise<AttemptReport> {
    let turns = 0;
    let patch: Patch | null = null;
    try {
      const base = await loadManifest(store, ctx.baseManifest);
      const done = await this.agentLoop(ctx, step, store, base, journal);
      turns = done.turns;
      if (done.kind !== "finished") return ending(ctx.instanceId, turns, done.kind, done.error ?? null);
      // Not journaled: the tree, its diff and the signals are a function of the journaled turns
      // (the tools that made the overlay run again, alike), and the puts are of the same content.
      const made = await doStep(step, STEP.patch, RETRY.storage, () => makePatch(ctx, store, base, done.overlay));
      patch = made.patch;
      const produced = made.patch;
      if (made.failedSignals.length > 0) {
        throw new BernsteinError("signal_failed", `completion signals failed: ${made.failedSignals.join("; ")}`);
      }
      const decision = await this.decide(ctx, step, {
        ...produced,
        instanceId: ctx.instanceId,
        turns,
        summary: done.summary,
      });
      if (decision.kind === "merged") {
        return { ...ending(ctx.instanceId, turns, "succeeded", null), summary: done.summary, ...produced };
      }
      const error = decision.kind === "conflict" ? conflictError(decision.files) : decision.error;
      return { ...ending(ctx.instanceId, turns, "failed", error), ...produced };
    } catch (thrown) {
      const err = toBernsteinError(thrown);
      return { ...ending(ctx.instanceId, turns, "failed", { code: err.code, message: err.message }), ...(patch ?? {}) };
    }
  }

  /** Model turns and tool batches until `finish`, a stop, or the turn limit. */
  private async agentLoop(
    ctx: AttemptContext,
    step: WorkflowStep,
    store: ArtifactStore,
    base: Manifest,
    journal: Journal,
  ): Promise<
    | { kind: "finished"; turns: number; overlay: Overlay; summary: string | null; error?: undefined }
    | { kind: "cancelled" | "failed"; turns: number; error?: ErrorJson }
  > {
    const system = systemPrompt(ctx);
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: taskMessage(ctx, Object.keys(base).sort()) }] },
    ];
    // The facts of each reply so far, which its transcript line keeps (see `transcript.ts`).
    const facts: ReplyFacts[] = [];
    const transcript = new Transcript(system);
    // A resumed attempt's answered turns, from the transcript: their model calls are not made again.
    const answered = ctx.resumed ? await readReplies(store, ctx) : [];
    let overlay: Overlay = {};
    let reminded = false;
    let outputTokens = 0;
    for (let turn = 0; turn < ctx.maxTurns; turn++) {
      const reply =
        (await replayed(journal, turn, answered)) ??
        (await this.turnWithBudget(ctx, step, store, { system, transcript, messages, facts }, turn, journal));
      if (reply.kind === "inactive") return { kind: "cancelled", turns: turn };
      if (reply.kind === "stopped") return { kind: "failed", turns: turn, error: reply.error };
      facts.push({ stopReason: reply.stopReason, usage: reply.usage });
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
      const batch = calls.some((call) => call.name === "run_command")
        ? await runToolsWithCommands(
            { step, store, journal, coordinator: coordinatorFor(this.env, ctx.runId) },
            ctx,
            base,
            overlay,
            calls,
            turn,
          )
        : await runToolBatch(
            step,
            STEP.tools(turn),
            { store, runId: ctx.runId },
            new Workspace(store, base, overlay),
            calls,
          );
      overlay = batch.overlay;
      if (batch.finished)
        return { kind: "finished", turns: turn + 1, overlay, summary: batch.finished.summary || null };
      messages.push({ role: "user", content: batch.results });
    }
    throw new BernsteinError("max_turns", `the task was not finished within ${ctx.maxTurns} turns`);
  }

  /** Turn `turn`'s model call, tried until it answers (`callUntilAnswered`: budget waits, outages). */
  private async turnWithBudget(
    ctx: AttemptContext,
    step: WorkflowStep,
    store: ArtifactStore,
    conversation: Conversation,
    turn: number,
    journal: Journal,
  ): Promise<TurnAnswer> {
    return callUntilAnswered<TurnAnswer>({
      step,
      store,
      runId: ctx.runId,
      journal,
      // A reply is journaled by its transcript (`turn`), read back by `replayed`.
      journalAnswers: false,
      callStep: (k) => (k === 0 ? STEP.turn(turn) : STEP.turnRetry(turn, k)),
      budgetStep: (k) => STEP.budgetWait(turn, k),
      call: (name, failures) => this.turn(ctx, store, conversation, { turn, name, journal }, failures),
    });
  }

  /**
   * One model call, sized to the budget, after the coordinator reserved its worst-case cost. Skipped (inactive)
   * when the attempt was cancelled or superseded meanwhile (the reservation says so); parked
   * when the budget is spent; an outage (`failures` in a row before it) when the model is down.
   * The reply's transcript, written inside the step, is its journal entry.
   */
  private async turn(
    ctx: AttemptContext,
    store: ArtifactStore,
    { system, transcript: lines, messages, facts }: Conversation,
    { turn, name: stepName, journal }: { turn: number; name: string; journal: Journal },
    failures: number,
  ): Promise<TurnAnswer | Parked | Outage> {
    const coordinator = coordinatorFor(this.env, ctx.runId);
    const ref = parseModelRef(ctx.model);
    const request = {
      model: ref.model,
      system,
      messages,
      tools: agentTools(ctx),
      toolChoice: "auto" as const,
      maxOutputTokens: ctx.maxOutputTokens,
    };
    const budget = await coordinator.reserveBudget(
      ctx.runId,
      budgetRequestFor({ instanceId: ctx.instanceId, step: stepName, model: ctx.model, kind: "turn" }, request),
    );
    if (budget.kind === "inactive") return { kind: "inactive" };
    if (budget.kind === "wait") return { kind: "parked" };
    if (budget.kind === "stop") return { kind: "stopped", error: budget.error };
    const client = createModelClientFor(ref, modelConfigFromEnv(this.env));
    // The budget may pay for fewer output tokens than the turn's maximum: the call asks for those.
    let response: Awaited<ReturnType<typeof client.complete>>;
    try {
      response = await client.complete(sizedTo(request, budget));
    } catch (error) {
      return outageOf(error, failures, coordinator, { runId: ctx.runId, instanceId: ctx.instanceId, step: stepName });
    }
    await coordinator.recordUsage(ctx.runId, {
      instanceId: ctx.instanceId,
      step: stepName,
      model: ctx.model,
      usage: response.usage,
    });
    const content: Block[] = response.content.length > 0 ? response.content : [{ type: "text", text: "(no reply)" }];
    const reply: Reply = { content, stopReason: response.stopReason, usage: response.usage };
    const transcript = lines.of([...messages, { role: "assistant", content }], [...facts, reply]);
    // A reply redaction changed cannot be replayed from its transcript: the exact one is
    // journaled, before the transcript that says the turn was answered.
    if (transcript.redacted) await journal.write(exactReply(turn), reply);
    await writeTranscript(store, ctx, transcript);
    return { kind: "reply", ...reply };
  }

  /** Submits the attempt and waits for the coordinator's final decision. */
  private async decide(ctx: AttemptContext, step: WorkflowStep, submission: AttemptSubmission): Promise<FinalDecision> {
    const coordinator = coordinatorFor(this.env, ctx.runId);
    // Not journaled: submitted again (a restarted instance, whose events sent while it was
    // down never arrived), the coordinator answers its latest decision about the submission.
    // Each later decision is sent as the event the one before said to wait for, which the
    // engine keeps until the instance waits for it: the decision in hand is never stale.
    let decision = await doStep(step, STEP.submit, RETRY.report, () =>
      coordinator.submitAttempt(ctx.runId, submission),
    );
    for (let k = 0; ; k++) {
      if (decision.kind !== "wait") return decision;
      const type = decisionEvent(decision.reason);
      const approval = type === ATTEMPT_EVENTS.approval;
      const timeout = approval ? APPROVAL_WAIT : VERIFY_WAIT;
      try {
        decision = (
          await waitForTypedEvent(step, STEP.decisionWait(type, k), { type, timeout }, ATTEMPT_EVENT_SCHEMAS[type])
        ).payload;
      } catch (error) {
        throw new BernsteinError(
          approval ? "rejected" : "verify_timeout",
          `${approval ? "nobody approved or rejected the task" : "no verification result came"} within ${timeout}`,
          { cause: error },
        );
      }
    }
  }
}

/** The conversation so far (the facts of its replies too), as a turn's call and its transcript need it. */
interface Conversation {
  system: string;
  transcript: Transcript;
  messages: Message[];
  facts: readonly ReplyFacts[];
}

/** The journal entry of turn `turn`'s reply, when its transcript could not keep it exactly. */
function exactReply(turn: number): string {
  return `${STEP.turn(turn)}.reply`;
}

/**
 * Turn `turn`'s reply when a resumed attempt had it before: the journaled one (a reply its
 * transcript redacted), else the transcript's. Undefined when the turn's call must be made.
 */
async function replayed(journal: Journal, turn: number, answered: readonly Reply[]): Promise<TurnAnswer | undefined> {
  const exact = (await journal.read(exactReply(turn)))?.value as Reply | undefined;
  const reply = exact ?? answered[turn];
  return reply ? { kind: "reply", ...reply } : undefined;
}

async function loadManifest(store: ArtifactStore, sha: string): Promise<Manifest> {
  // A tree of the run (its base snapshot or a merge), valid when stored: checked by its hash,
  // not validated again (that was a schema walk of a tree that grows with every merge).
  const manifest = await store.getStoredManifest(sha);
  if (!manifest) throw new BernsteinError("not_found", `base snapshot ${sha} is missing from R2`);
  return manifest;
}

function conflictError(files: string[]): ErrorJson {
  return { code: "merge_conflict", message: `merge conflict in ${files.join(", ")}` };
}

function ending(
  instanceId: string,
  turns: number,
  outcome: AttemptReport["outcome"],
  error: ErrorJson | null,
): AttemptReport {
  return {
    instanceId,
    outcome,
    turns,
    summary: null,
    error,
    resultManifest: null,
    patchKey: null,
    patchSha256: null,
    changedFiles: [],
  };
}
