import type { WorkflowStep } from "cloudflare:workers";
import { METER_PATH } from "@bernstein/core";
import { bump, counts, nameWorker } from "./counts.js";
import { meterState, settleSqlCursors } from "./durable-objects.js";
import { meterEnv } from "./meter-env.js";
import { isMeterOn } from "./switch.js";
import { meterStep } from "./workflow-step.js";

type Handler<E> = ExportedHandler<E>;

/**
 * A Worker's default export that counts its invocations by handler and hands the handlers a
 * metered environment, and answers `GET /__meter` with the counters, when `BERNSTEIN_METER`
 * is "1". Otherwise every call goes to the handler unchanged, and there is no such route.
 */
export function meterWorker<E extends object>(worker: string, handler: Handler<E>): Handler<E> {
  const wrapped: Handler<E> = {};
  for (const [name, fn] of Object.entries(handler) as [keyof Handler<E>, unknown][]) {
    if (typeof fn !== "function") continue;
    const call = fn as (this: Handler<E>, input: unknown, env: E, ctx: unknown) => unknown;
    (wrapped as Record<string, unknown>)[name] = (input: unknown, env: E, ctx: unknown) => {
      if (!isMeterOn(env)) return call.call(handler, input, env, ctx);
      nameWorker(worker);
      if (name === "fetch" && isMeterRequest(input)) return meterResponse();
      bump(counts().invocations, name);
      return call.call(handler, input, meterEnv(env), ctx);
    };
  }
  return wrapped;
}

function isMeterRequest(input: unknown): boolean {
  return input instanceof Request && input.method === "GET" && new URL(input.url).pathname === METER_PATH;
}

function meterResponse(): Response {
  settleSqlCursors();
  return Response.json(counts());
}

// `env: never`: any class taking its own Env fits; the metered one passes that Env on.
type DurableObjectClass = new (ctx: DurableObjectState, env: never) => object;

/**
 * A Durable Object class that, with the meter on, counts its alarms and its storage (SQL rows,
 * KV-style calls) and gets a metered environment; with it off, it is the class itself in all
 * but name (the same constructor arguments, the same methods).
 */
export function meterDurableObject<C extends DurableObjectClass>(worker: string, Base: C): C {
  const base: DurableObjectClass = Base;
  class Metered extends base {
    constructor(ctx: DurableObjectState, env: object) {
      const on = isMeterOn(env);
      if (on) {
        nameWorker(worker);
        meterState(ctx);
      }
      super(ctx, (on ? meterEnv(env) : env) as never);
    }
  }
  const alarm = (base.prototype as { alarm?: unknown }).alarm;
  if (typeof alarm === "function") {
    Object.defineProperty(Metered.prototype, "alarm", {
      configurable: true,
      writable: true,
      value(this: { env?: unknown }, ...args: unknown[]) {
        if (isMeterOn(this.env)) counts().durableObjects.alarms += 1;
        return (alarm as (...a: unknown[]) => unknown).apply(this, args);
      },
    });
  }
  return Metered as unknown as C;
}

type WorkflowClass = new (
  ctx: ExecutionContext,
  env: never,
) => { run(event: never, step: WorkflowStep): Promise<unknown> };

/**
 * A Workflow class that, with the meter on, counts its runs and its steps (first runs and
 * replays) and gets a metered environment; with it off, it is the class itself in all but name.
 */
export function meterWorkflow<C extends WorkflowClass>(worker: string, Base: C): C {
  const base: WorkflowClass = Base;
  const run = base.prototype.run as (this: unknown, event: never, step: WorkflowStep) => Promise<unknown>;
  class Metered extends base {
    constructor(ctx: ExecutionContext, env: object) {
      const on = isMeterOn(env);
      if (on) nameWorker(worker);
      super(ctx, (on ? meterEnv(env) : env) as never);
    }
    override run(event: never, step: WorkflowStep): Promise<unknown> {
      if (!isMeterOn((this as unknown as { env?: unknown }).env)) return run.call(this, event, step);
      counts().workflows.runs += 1;
      return run.call(this, event, meterStep(step));
    }
  }
  return Metered as unknown as C;
}
