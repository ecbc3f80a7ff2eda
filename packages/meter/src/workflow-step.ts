import type { WorkflowStep } from "cloudflare:workers";
import { through } from "./bind-through.js";
import { counts } from "./counts.js";

/**
 * A Workflow step that counts `step.do` calls, and of them whether the callback ran (a first
 * run) or the stored result came back (a replay), plus sleeps and waits for events.
 */
export function meterStep(step: WorkflowStep): WorkflowStep {
  return new Proxy(step, {
    get(target, prop) {
      const value = through(target, prop);
      if (typeof value !== "function") return value;
      const call = value as (...args: unknown[]) => Promise<unknown>;
      const workflows = counts().workflows;
      if (prop === "sleep" || prop === "sleepUntil") {
        return (...args: unknown[]) => {
          workflows.sleeps += 1;
          return call(...args);
        };
      }
      if (prop === "waitForEvent") {
        return (...args: unknown[]) => {
          workflows.waits += 1;
          return call(...args);
        };
      }
      if (prop !== "do") return value;
      return (...args: unknown[]) => {
        workflows.stepCalls += 1;
        const last = args.length - 1;
        const callback = args[last] as (...a: unknown[]) => unknown;
        let ran = false;
        args[last] = (...a: unknown[]) => {
          ran = true;
          workflows.stepAttempts += 1;
          return callback(...a);
        };
        const settle = () => {
          if (ran) workflows.stepFirstRuns += 1;
          else workflows.stepReplays += 1;
        };
        return call(...args).then(
          (result) => {
            settle();
            return result;
          },
          (error: unknown) => {
            settle();
            throw error;
          },
        );
      };
    },
  });
}
