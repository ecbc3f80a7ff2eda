import type { WorkflowStep, WorkflowTimeoutDuration } from "cloudflare:workers";
import type { Infer, Schema } from "@bernstein/artifacts";
import { parseWith } from "@bernstein/core";
import type { Journal } from "./journal.js";

/** What to wait for: the event type and how long before `waitForEvent` gives up. */
export interface WaitForEventOptions {
  type: string;
  timeout: WorkflowTimeoutDuration | number;
}

/** An event whose payload passed its schema. */
export interface TypedEvent<T> {
  type: string;
  payload: T;
  timestamp: Date;
}

/**
 * `step.waitForEvent` with the payload validated by a zod `schema`; a payload that does not
 * match throws BernsteinError `bad_request` (the sender's mistake, which no retry fixes).
 */
export async function waitForTypedEvent<S extends Schema>(
  step: WorkflowStep,
  name: string,
  options: WaitForEventOptions,
  schema: S,
): Promise<TypedEvent<Infer<S>>> {
  const event = await step.waitForEvent(name, { type: options.type, timeout: options.timeout });
  const payload = parseWith(schema, event.payload, "bad_request", `payload of event "${options.type}"`);
  return { type: event.type, payload, timestamp: event.timestamp };
}

/**
 * `waitForTypedEvent` through a journal: a payload received before (by an earlier run of this
 * instance) is returned without waiting; a new one is recorded in a step of its own
 * (`<name>.journal`), since recording is a side effect.
 */
export async function waitForJournaledEvent<S extends Schema>(
  step: WorkflowStep,
  name: string,
  options: WaitForEventOptions,
  schema: S,
  journal: Journal,
): Promise<Infer<S>> {
  const recorded = await journal.read(name);
  if (recorded) return parseWith(schema, recorded.value, "internal", `journaled payload of "${name}"`);
  const event = await waitForTypedEvent(step, name, options, schema);
  await step.do(`${name}.journal`, async () => {
    await journal.write(name, event.payload);
  });
  return event.payload;
}
