import { ErrorJsonSchema } from "@bernstein/core";
import { z } from "zod";

/** Payload of the `verify-result` and `approval` events: the coordinator's next decision. */
export const AttemptDecisionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("merged"), seq: z.number().int() }),
  z.object({ kind: z.literal("wait"), reason: z.enum(["verify", "approval", "queue"]) }),
  z.object({ kind: z.literal("conflict"), files: z.array(z.string()) }),
  z.object({ kind: z.literal("failed"), error: ErrorJsonSchema }),
]);

/** Payload of the `budget` event: retry the model call, or stop. */
export const BudgetAnswerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("granted") }),
  z.object({ kind: z.literal("wait") }),
  z.object({ kind: z.literal("stop"), error: ErrorJsonSchema }),
  z.object({ kind: z.literal("inactive") }),
]);
