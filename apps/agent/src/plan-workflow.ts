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
  worstCaseCost,
} from "@bernstein/core";
import { type Block, createModelClientFor, type Message, modelConfigFromEnv } from "@bernstein/llm";
import { createJournal, doStep, RETRY, STEP } from "@bernstein/workflow";
import { coordinatorFor } from "./coordinator.js";
import type { Env } from "./env.js";
import { plannerMessage, plannerSystem, repairMessage } from "./planning/plan-prompt.js";
import { SUBMIT_PLAN } from "./planning/plan-tool.js";
import { repoView } from "./planning/repo-view.js";

interface PlannerReply {
  content: Block[];
}

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
    const journal = createJournal(store, runId, planInstanceId(runId));
    const spill = { store, runId, journal };
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
      const first = await doStep(step, STEP.plan, RETRY.model, () => this.callPlanner(ctx, messages, STEP.plan), spill);
      let checked = check(first);
      if (!checked.ok) {
        messages.push({ role: "assistant", content: first.content }, repairTurn(checked));
        const second = await doStep(
          step,
          STEP.planRepair,
          RETRY.model,
          () => this.callPlanner(ctx, messages, STEP.planRepair),
          spill,
        );
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

  private async callPlanner(ctx: PlanContext, messages: Message[], stepName: string): Promise<PlannerReply> {
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
    const budget = await coordinator.reserveBudget(ctx.runId, {
      instanceId: planInstanceId(ctx.runId),
      step: stepName,
      model: ctx.plannerModel,
      worstCaseUsd: worstCaseCost(
        ctx.plannerModel,
        Math.ceil(JSON.stringify(request).length / 3),
        PLANNER_MAX_OUTPUT_TOKENS,
      ),
    });
    if (budget.kind !== "granted") {
      throw new BernsteinError("budget_exhausted", "the run's budget cannot cover the planning call");
    }
    const client = createModelClientFor(ref, modelConfigFromEnv(this.env));
    const response = await client.complete(request);
    await coordinator.recordUsage(ctx.runId, {
      instanceId: planInstanceId(ctx.runId),
      step: stepName,
      model: ctx.plannerModel,
      usage: response.usage,
    });
    const content: Block[] = response.content.length > 0 ? response.content : [{ type: "text", text: "(no reply)" }];
    return { content };
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
