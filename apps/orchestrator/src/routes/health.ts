import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { VERSION } from "../version.js";

export function healthRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get("/healthz", () => ({ ok: true, version: VERSION }));
}
