import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { type ArtifactStore, createArtifactStore, keys } from "@bernstein/artifacts";
import {
  BernsteinError,
  type Plan,
  type PlanContext,
  type PlanWorkflowParams,
  parseModelRef,
  planInstanceId,
  toBernsteinError,
  validatePlan,
} from "@bernstein/core";
import { type Block, createModelClientFor, type Message, modelConfigFromEnv } from "@bernstein/llm";
import { createJournal, doStep, type Journal, RETRY, STEP } from "@bernstein/workflow";
import { budgetRequestFor, PLAN_BUDGET_STEPS, sizedTo } from "./call-budget.js";
import { coordinatorFor } from "./coordinator.js";
import type { Env } from "./env.js";
import { callUntilAnswered, type Outage, outageOf, type Parked, type Stopped } from "./model-outage.js";
import { plannerMessage, plannerSystem, repairMessage } from "./planning/plan-prompt.js";
import { SUBMIT_PLAN } from "./planning/plan-tool.js";
import { repoView } from "./planning/repo-view.js";

interface PlannerReply {
  content: Block[];
}

/** What a planning call ends with: the reply, or stopped (the run was cancelled, or the budget spent). */
type PlannerAnswer = { kind: "reply"; content: Block[] } | Stopped;

const PLANNER_MAX_OUTPUT_TOKENS = 16_000;

type Checked = { ok: true; plan: Plan } | { ok: false; error: BernsteinError; toolUseId: string | null };

/**
 * Planning: one model call with `submit_plan`, validated by core before anything is stored;
 * an invalid plan gets one repair call with the validation error, then the run fails with it.
 */
export class PlanWorkflow extends WorkflowEntrypoint<Env, PlanWorkflowParams> {
  override async run(event: WorkflowEvent<PlanWorkflowParams>, step: WorkflowStep): Promise<{ tasks: number } | null> {
    const { runId } = event.payload;
    const coordinator = coordinatorFor(this.env, runId);
    const store = createArtifactStore(this.env.ARTIFACTS);
    const journal = createJournal(store, runId, planInstanceId(runId), { first: STEP.load });
    const ctx = await doStep(step, STEP.load, RETRY.report, () => coordinator.planContext(runId), { journal });
    if (ctx.cancelled) return null;
    try {
      const manifest = await store.getManifest(ctx.baseSnapshot);
      if (!manifest) throw new BernsteinError("not_found", `base snapshot ${ctx.baseSnapshot} is missing from R2`);
      const messages: Message[] = [
        {
          role: "user",
          content: [
            { type: "text", text: plannerMessage(ctx.goal, await repoView(store, manifest, ctx.repoViewTokens)) },
          ],
        },
      ];
      const first = await this.planWithBudget(ctx, step, messages, STEP.plan, journal);
      let checked = check(first);
      if (!checked.ok) {
        messages.push({ role: "assistant", content: first.content }, repairTurn(checked));
        const second = await this.planWithBudget(ctx, step, messages, STEP.planRepair, journal);
        checked = check(second);
        if (!checked.ok) throw checked.error;
      }
      const plan = checked.plan;
      await doStep(step, STEP.storePlan, RETRY.storage, () => storePlan(store, runId, plan), { journal });
      await doStep(step, STEP.report, RETRY.report, () => coordinator.planAccepted(runId, plan), { journal });
      return { tasks: plan.tasks.length };
    } catch (error) {
      const err = toBernsteinError(error);
      await doStep(step, "report-failure", RETRY.report, () =>
        coordinator.planFailed(runId, {
          code: err.code,
          message: err.message,
          ...(err.details ? { details: err.details } : {}),
        }),
      );
      return null;
    }
  }

  /**
   * The planning call `name`, tried until it answers (`callUntilAnswered`): while the budget
   * cannot pay for it the run is paused and the call parks until a `budget` event (more
   * budget: call again; the run cancelled: stop); while the model is down it sleeps and tries again.
   */
  private async planWithBudget(
    ctx: PlanContext,
    step: WorkflowStep,
    messages: Message[],
    name: string,
    journal: Journal,
  ): Promise<PlannerReply> {
    const answer = await callUntilAnswered<PlannerAnswer>({
      step,
      store: createArtifactStore(this.env.ARTIFACTS),
      runId: ctx.runId,
      journal,
      callStep: (k) => PLAN_BUDGET_STEPS.call(name, k),
      budgetStep: (k) => PLAN_BUDGET_STEPS.wait(name, k),
      call: (stepName, failures) => this.callPlanner(ctx, messages, stepName, failures),
    });
    if (answer.kind === "stopped") throw new BernsteinError(answer.error.code, answer.error.message);
    return { content: answer.content };
  }

  private async callPlanner(
    ctx: PlanContext,
    messages: Message[],
    stepName: string,
    failures: number,
  ): Promise<PlannerAnswer | Parked | Outage> {
    const ref = parseModelRef(ctx.plannerModel);
    const coordinator = coordinatorFor(this.env, ctx.runId);
    const request = {
      model: ref.model,
      system: plannerSystem(ctx.commandsEnabled === true),
      messages,
      tools: [SUBMIT_PLAN],
      toolChoice: { name: SUBMIT_PLAN.name },
      maxOutputTokens: PLANNER_MAX_OUTPUT_TOKENS,
    };
    const instanceId = planInstanceId(ctx.runId);
    const budget = await coordinator.reserveBudget(
      ctx.runId,
      budgetRequestFor({ instanceId, step: stepName, model: ctx.plannerModel, kind: "planning" }, request),
    );
    if (budget.kind === "wait") return { kind: "parked" };
    if (budget.kind === "stop") return { kind: "stopped", error: budget.error };
    if (budget.kind === "inactive") {
      return { kind: "stopped", error: { code: "illegal_transition", message: "the run is no longer planning" } };
    }
    const client = createModelClientFor(ref, modelConfigFromEnv(this.env));
    // The budget may pay for fewer output tokens than planning's maximum: the call asks for those.
    let response: Awaited<ReturnType<typeof client.complete>>;
    try {
      response = await client.complete(sizedTo(request, budget));
    } catch (error) {
      return outageOf(error, failures, coordinator, { runId: ctx.runId, instanceId, step: stepName });
    }
    await coordinator.recordUsage(ctx.runId, {
      instanceId,
      step: stepName,
      model: ctx.plannerModel,
      usage: response.usage,
    });
    const content: Block[] = response.content.length > 0 ? response.content : [{ type: "text", text: "(no reply)" }];
    return { kind: "reply", content };
  }
}

/** Validates the planner's `submit_plan` call with core's rules. */
function check(reply: PlannerReply): Checked {
  const call = reply.content.find((b) => b.type === "tool_use" && b.name === SUBMIT_PLAN.name);
  if (call?.type !== "tool_use") {
    return {
      ok: false,
      error: new BernsteinError("plan_invalid", "the planner did not call submit_plan"),
      toolUseId: null,
    };
  }
  try {
    return { ok: true, plan: validatePlan(call.input) };
  } catch (error) {
    if (!(error instanceof BernsteinError)) throw error;
    return { ok: false, error, toolUseId: call.id };
  }
}

/** The user turn that answers a rejected plan: the tool's error result, or a plain reminder. */
function repairTurn(checked: Extract<Checked, { ok: false }>): Message {
  const text = repairMessage(`${checked.error.code}: ${checked.error.message}`);
  return checked.toolUseId
    ? { role: "user", content: [{ type: "tool_result", toolUseId: checked.toolUseId, content: text, isError: true }] }
    : { role: "user", content: [{ type: "text", text }] };
}

async function storePlan(store: ArtifactStore, runId: string, plan: Plan): Promise<void> {
  await store.putJson(keys.plan(runId), plan);
}
