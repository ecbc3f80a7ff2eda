import { z } from "zod";
import type { ExecResult } from "./schemas/command-job.js";
import { ErrorJsonSchema } from "./schemas/common.js";

/**
 * The protocol between a run's coordinator and the TaskWorkflow of one attempt, as data: the
 * events the coordinator sends to a waiting attempt, their payloads' schemas, and the answers
 * of the calls that decide what an attempt does next. Both apps import it from here, so a name
 * or a payload cannot drift between the sender and the receiver.
 */

/** Why a submitted attempt waits: its verification, a human's approval, or its turn in the merge queue. */
export const WaitReason = z.enum(["verify", "approval", "queue"]);
export type WaitReason = z.infer<typeof WaitReason>;

/** The coordinator's answer about a submitted attempt: final (merged, conflict, failed) or wait. */
export const AttemptDecision = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("merged"), seq: z.number().int() }),
  z.object({ kind: z.literal("wait"), reason: WaitReason }),
  z.object({ kind: z.literal("conflict"), files: z.array(z.string()) }),
  z.object({ kind: z.literal("failed"), error: ErrorJsonSchema }),
]);
export type AttemptDecision = z.infer<typeof AttemptDecision>;
/** A decision that ends the wait. */
export type FinalDecision = Exclude<AttemptDecision, { kind: "wait" }>;

/**
 * The answer to a budget reservation. `granted`: go on, with at most `maxOutputTokens` (what
 * the budget pays; absent: the call's own maximum). `wait`: parked until a `budget` event.
 * `stop`: the attempt must end. `inactive`: the attempt was cancelled or superseded (the
 * reservation is also the turn's check of that, so a turn costs one coordinator call, not two).
 */
export const BudgetAnswer = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("granted"), maxOutputTokens: z.number().int().positive().optional() }),
  z.object({ kind: z.literal("wait") }),
  z.object({ kind: z.literal("stop"), error: ErrorJsonSchema }),
  z.object({ kind: z.literal("inactive") }),
]);
export type BudgetAnswer = z.infer<typeof BudgetAnswer>;

/** The events the coordinator sends to a waiting TaskWorkflow instance, by name. */
export const ATTEMPT_EVENTS = {
  /** A verification settled (or the queue moved): the payload is the next decision. */
  verifyResult: "verify-result",
  /** A human approved or rejected the attempt: the payload is the next decision. */
  approval: "approval",
  /** The budget changed (or the run stopped): the payload is a budget answer. */
  budget: "budget",
} as const;
type NamedAttemptEvent = (typeof ATTEMPT_EVENTS)[keyof typeof ATTEMPT_EVENTS];

/**
 * The event an agent's command result (an `ExecResult`, checked with that schema) is sent to
 * its workflow as: one name per exec job, so a result is never taken for another command's.
 */
export type CommandEventType = `cmd-${string}`;

/** The command event of an exec job (Workflow event types allow letters, digits, `-` and `_`, up to 100). */
export function commandEventType(jobId: string): CommandEventType {
  return `cmd-${jobId.replace(/[^A-Za-z0-9_-]/g, "-")}`.slice(0, 100) as CommandEventType;
}

export type AttemptEventType = NamedAttemptEvent | CommandEventType;

/** The payload type of each attempt event. */
export interface AttemptEventPayloads {
  "verify-result": AttemptDecision;
  approval: AttemptDecision;
  budget: BudgetAnswer;
  [command: CommandEventType]: ExecResult;
}

/** The schema a receiver checks each named attempt event's payload with (a command's: `ExecResult`). */
export const ATTEMPT_EVENT_SCHEMAS = {
  "verify-result": AttemptDecision,
  approval: AttemptDecision,
  budget: BudgetAnswer,
} as const satisfies { [E in NamedAttemptEvent]: z.ZodType<AttemptEventPayloads[E]> };

/** The events that carry a decision about a submitted attempt. */
export type DecisionEvent = typeof ATTEMPT_EVENTS.verifyResult | typeof ATTEMPT_EVENTS.approval;

/** The event a submitted attempt waits for, by why it waits. */
export function decisionEvent(reason: WaitReason): DecisionEvent {
  return reason === "approval" ? ATTEMPT_EVENTS.approval : ATTEMPT_EVENTS.verifyResult;
}

/** An event for a waiting attempt, with the payload its type carries. */
export interface AttemptNotice<E extends AttemptEventType = AttemptEventType> {
  instanceId: string;
  type: E;
  payload: AttemptEventPayloads[E];
}
