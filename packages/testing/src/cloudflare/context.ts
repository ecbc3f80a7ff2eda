import type { IRequest, RouterType } from "itty-router";
import type { Caller } from "./auth.js";
import { fail } from "./envelope.js";
import type { AccountRuntime } from "./runtime.js";
import type { AccountState } from "./state.js";

/** What every route of the stand-in gets besides the request. */
export interface RouteContext {
  account: AccountState;
  runtime: AccountRuntime;
  caller: Caller;
}

export type StandInRouter = RouterType<IRequest, [RouteContext]>;

/** `:account` of the path must be the stand-in's account (another account's is refused, as a token's scope would). */
export function accountOf(request: IRequest, context: RouteContext): AccountState {
  if (request.params.account !== context.account.id) fail(403, 10000, "Authentication error");
  return context.account;
}
