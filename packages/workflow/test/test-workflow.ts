import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { createArtifactStore, sha256Hex } from "@bernstein/artifacts";
import { BernsteinError, errorCodeOf, Usage } from "@bernstein/core";
import { createAnthropicClient } from "@bernstein/llm";
import { createJournal, doStep, RETRY, STEP, waitForTypedEvent } from "../src/index.js";

export type Scenario =
  | "flaky"
  | "permanent"
  | "caught"
  | "exhausted"
  | "large"
  | "small"
  | "event"
  | "journaled"
  | "journaled-first"
  | "journaled-fresh"
  | "journaled-resumed"
  | "model-down"
  | "model-final"
  | "retry-after"
  | "disposed";
export interface TestParams {
  scenario: Scenario;
  runId: string;
}

/** Bytes of the result the "large" scenario returns from a step: well over the 1 MiB step limit. */
export const LARGE_RESULT_CHARS = 2 * 1024 * 1024;

/** A Workflow exercising the helpers the way TaskWorkflow will: one scenario per instance. */
export class TestWorkflow extends WorkflowEntrypoint<Env, TestParams> {
  override async run(event: WorkflowEvent<TestParams>, step: WorkflowStep): Promise<unknown> {
    const { scenario, runId } = event.payload;
    const store = createArtifactStore(this.env.ARTIFACTS);
    // Each attempt of a step leaves a marker in R2, so tests can count real attempts.
    const attempt = async (name: string): Promise<number> => {
      const prefix = `attempts/${event.instanceId}/${name}/`;
      await this.env.ARTIFACTS.put(`${prefix}${crypto.randomUUID()}`, "");
      return (await this.env.ARTIFACTS.list({ prefix })).objects.length;
    };

    // Counts runs of a step body across instances (a restarted instance is a new run of them).
    const runsOf = async (name: string): Promise<number> => {
      const prefix = `runs-of/${runId}/${name}/`;
      await this.env.ARTIFACTS.put(`${prefix}${crypto.randomUUID()}`, "");
      return (await this.env.ARTIFACTS.list({ prefix })).objects.length;
    };

    // A model turn as TaskWorkflow makes it: one step with RETRY.model around the real client,
    // whose fetch answers from `answer` and records each request's time in R2.
    const modelTurn = async (answer: (n: number) => Response) => {
      const prefix = `requests/${event.instanceId}/`;
      const fetch: typeof globalThis.fetch = async () => {
        const n = (await this.env.ARTIFACTS.list({ prefix })).objects.length + 1;
        await this.env.ARTIFACTS.put(`${prefix}${String(n).padStart(3, "0")}`, String(Date.now()));
        return answer(n);
      };
      const client = createAnthropicClient({ apiKey: "sk-test", baseUrl: "https://model.invalid", fetch });
      try {
        const reply = await doStep(step, STEP.turn(0), RETRY.model, async () => {
          const res = await client.complete({
            model: "m",
            messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
            maxOutputTokens: 10,
          });
          return { text: res.content };
        });
        return { reply };
      } catch (error) {
        return { code: errorCodeOf(error) };
      }
    };

    switch (scenario) {
      case "disposed": {
        // The real step's RPC result, with its disposer counted: doStep must release it.
        let disposed = 0;
        let carried = false;
        const countedDo = async (...args: unknown[]) => {
          const result: object = await Reflect.apply(step.do, step, args);
          const release = Reflect.get(result, Symbol.dispose);
          carried = typeof release === "function";
          Object.defineProperty(result, Symbol.dispose, {
            value: () => {
              disposed += 1;
              if (typeof release === "function") release.call(result);
            },
          });
          return result;
        };
        const counted = new Proxy(step, {
          get: (target, prop) => (prop === "do" ? countedDo : Reflect.get(target, prop)),
        });
        const value = await doStep(counted, STEP.load, RETRY.storage, async () => ({ files: ["a.txt"] }));
        return { carried, disposed, value };
      }
      case "model-down":
        return modelTurn(() => Response.json({ error: { type: "api_error", message: "down" } }, { status: 500 }));
      case "model-final":
        return modelTurn(
          () =>
            new Response('{"error":{"type":"overloaded_error","message":"no"}}', {
              status: 529,
              headers: { "x-should-retry": "false" },
            }),
        );
      case "retry-after":
        return modelTurn((n) =>
          n === 1
            ? Response.json(
                { error: { type: "rate_limit_error", message: "slow down" } },
                { status: 429, headers: { "retry-after": "1" } },
              )
            : Response.json({
                id: "msg_1",
                type: "message",
                role: "assistant",
                model: "m",
                content: [{ type: "text", text: "ok" }],
                stop_reason: "end_turn",
                usage: { input_tokens: 1, output_tokens: 1 },
              }),
        );
      case "journaled":
      case "journaled-first":
      case "journaled-fresh":
      case "journaled-resumed": {
        // Two instances of one run share this journal: the second plays a restarted attempt.
        // With `first` (its first step, journaled before anything else) the journal is looked at by a head;
        // with `resumed: false` (the instance says it never ran before) it is not looked at.
        const [keptStep, skippedStep] =
          scenario === "journaled"
            ? ["kept", "skipped"]
            : scenario === "journaled-first"
              ? ["kept-1st", "skipped-1st"]
              : ["kept-resumed", "skipped-resumed"];
        const journal =
          scenario === "journaled"
            ? createJournal(store, runId, "journal-test")
            : scenario === "journaled-first"
              ? createJournal(store, runId, "journal-first-test", { first: keptStep })
              : createJournal(store, runId, "journal-resumed-test", { resumed: scenario === "journaled-resumed" });
        const kept = await doStep(step, keptStep, RETRY.storage, async () => ({ n: await runsOf(keptStep) }), {
          journal,
        });
        const skipped = await doStep(step, skippedStep, RETRY.storage, async () => ({ n: await runsOf(skippedStep) }), {
          journal,
          journalIf: () => false,
        });
        return { kept: kept.n, skipped: skipped.n };
      }
      case "flaky":
        return doStep(step, STEP.turn(1), RETRY.model, async () => {
          const n = await attempt(STEP.turn(1));
          if (n < 3) throw new BernsteinError("model_unavailable", `provider down (attempt ${n})`);
          return { attempts: n };
        });
      case "permanent":
        return doStep(step, STEP.plan, RETRY.model, async () => {
          await attempt(STEP.plan);
          throw new BernsteinError("plan_cycle", "t1 -> t2 -> t1");
        });
      case "caught":
      case "exhausted":
        try {
          await doStep(step, STEP.report, scenario === "caught" ? RETRY.model : RETRY.storage, async () => {
            await attempt(STEP.report);
            throw scenario === "caught"
              ? new BernsteinError("budget_exhausted", "spent $5.00 of $5.00")
              : new Error("socket hang up");
          });
          return { code: null };
        } catch (error) {
          return {
            code: errorCodeOf(error),
            name: error instanceof Error ? error.name : typeof error,
            message: error instanceof Error ? error.message : String(error),
          };
        }
      case "large":
      case "small": {
        const chars = scenario === "large" ? LARGE_RESULT_CHARS : 100;
        const result = await doStep(
          step,
          STEP.patch,
          RETRY.storage,
          async () => ({ patch: "x".repeat(chars - 1).concat("\n"), files: ["a.txt"] }),
          { store, runId },
        );
        return { chars: result.patch.length, sha256: await sha256Hex(result.patch), files: result.files };
      }
      case "event":
        await doStep(step, STEP.load, RETRY.storage, async () => {
          await this.env.ARTIFACTS.put(`ready/${event.instanceId}`, "");
        });
        try {
          const got = await waitForTypedEvent(step, STEP.signals, { type: "usage", timeout: "1 minute" }, Usage);
          return { payload: got.payload, type: got.type };
        } catch (error) {
          return { code: errorCodeOf(error), message: error instanceof Error ? error.message : String(error) };
        }
    }
  }
}
