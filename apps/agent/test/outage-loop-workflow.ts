import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { createArtifactStore } from "@bernstein/artifacts";
import { createJournal, STEP } from "@bernstein/workflow";
import { PLAN_BUDGET_STEPS } from "../src/call-budget.js";
import { callUntilAnswered, type Outage, type Parked } from "../src/model-outage.js";

/** What each try of the scripted call comes back with, in order. */
export type Try = "outage" | "parked" | "reply";

export interface OutageLoopParams {
  /** Which workflow's step names the loop uses: planning's call "plan", or an agent's turn 3. */
  naming: "plan" | "turn";
  script: Try[];
  runId: string;
  /** The journal's instance: two workflow instances with the same one play a restarted call. */
  journalOf: string;
}

export interface Tried {
  step: string;
  failures: number;
}

/** The shared model-call loop in a real Workflow, around a scripted call (the model is what is scripted). */
export class OutageLoopWorkflow extends WorkflowEntrypoint<Env, OutageLoopParams> {
  override async run(event: WorkflowEvent<OutageLoopParams>, step: WorkflowStep) {
    const { naming, script, runId, journalOf } = event.payload;
    const store = createArtifactStore(this.env.ARTIFACTS);
    const prefix = `tries/${event.instanceId}/`;
    const names =
      naming === "plan"
        ? {
            callStep: (k: number) => PLAN_BUDGET_STEPS.call(STEP.plan, k),
            budgetStep: (k: number) => PLAN_BUDGET_STEPS.wait(STEP.plan, k),
          }
        : {
            callStep: (k: number) => (k === 0 ? STEP.turn(3) : STEP.turnRetry(3, k)),
            budgetStep: (k: number) => STEP.budgetWait(3, k),
          };
    const answer = await callUntilAnswered<{ kind: "reply"; text: string }>({
      step,
      store,
      runId,
      journal: createJournal(store, runId, journalOf),
      ...names,
      // Each try is recorded in R2, so the tries are counted whatever the engine replays.
      call: async (name, failures): Promise<{ kind: "reply"; text: string } | Parked | Outage> => {
        const n = (await this.env.ARTIFACTS.list({ prefix })).objects.length;
        await this.env.ARTIFACTS.put(
          `${prefix}${String(n).padStart(3, "0")}`,
          JSON.stringify({ step: name, failures }),
        );
        const next = script[n];
        if (next === "outage") return { kind: "outage", retryInMs: 1_000 };
        if (next === "parked") return { kind: "parked" };
        if (next === "reply") return { kind: "reply", text: `answered at try ${n}` };
        throw new Error(`the script has no try ${n}`);
      },
    });
    const listed = await this.env.ARTIFACTS.list({ prefix });
    const tries: Tried[] = [];
    for (const object of listed.objects.sort((a, b) => a.key.localeCompare(b.key))) {
      tries.push(JSON.parse((await (await this.env.ARTIFACTS.get(object.key))?.text()) ?? "null") as Tried);
    }
    return { answer, tries };
  }
}
