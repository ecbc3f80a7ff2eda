import { z } from "zod";
import { IsoTime, RunId } from "./common.js";
import { Run } from "./run.js";

/** `POST /v1/dashboard/logins` (owner token only): a one-time login code for the dashboard. */
export const CreateLoginRequest = z.strictObject({
  /** The run the link lands on; null lands on the runs list. */
  runId: RunId.nullable().default(null),
});
export type CreateLoginInput = z.input<typeof CreateLoginRequest>;

/** The answer: the code, and the path (on the stack's URL) that exchanges it for a session. */
export const LoginCode = z.object({
  code: z.string().min(32),
  /** `/login?code=...`: single use, until `expiresAt`. */
  loginPath: z.string().startsWith("/login?"),
  /** Where the dashboard opens after the login (`/runs/<id>` or `/`). */
  landingPath: z.string().startsWith("/"),
  expiresAt: IsoTime,
});
export type LoginCode = z.infer<typeof LoginCode>;

/** A run with how far it is, for the dashboard's runs list (`GET /v1/dashboard/runs`). */
export const RunSummary = Run.extend({
  progress: z.object({
    total: z.number().int().nonnegative(),
    merged: z.number().int().nonnegative(),
    /** Tasks that ended without merging (failed, blocked, cancelled). */
    unmerged: z.number().int().nonnegative(),
  }),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunSummaryList = z.object({ runs: z.array(RunSummary) });
