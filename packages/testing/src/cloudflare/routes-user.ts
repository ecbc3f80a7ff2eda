import { authorize } from "./auth.js";
import type { StandInRouter } from "./context.js";
import { fail, ok } from "./envelope.js";

/** The user and the account: `/user`, `/user/tokens/verify`, `/memberships`, `/accounts`. */
export function userRoutes(router: StandInRouter): void {
  router.get("/user/tokens/verify", (_request, { caller }) => {
    if (caller.kind !== "token") fail(401, 1000, "Invalid API Token");
    return ok({ id: "0".repeat(32), status: "active" });
  });
  router.get("/user", (_request, { caller }) => {
    authorize(caller, "user:read");
    return ok({ id: "1".repeat(32), email: "owner@example.test", first_name: "Stand", last_name: "In" });
  });
  router.get("/memberships", (_request, { caller, account }) => {
    authorize(caller, "account:read");
    return ok([{ id: "m".repeat(32), status: "accepted", account: { id: account.id, name: account.name } }]);
  });
  router.get("/accounts", (_request, { caller, account }) => {
    authorize(caller, "account:read");
    return ok([{ id: account.id, name: account.name }]);
  });
}
