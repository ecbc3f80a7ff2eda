import { NO_BODY, type Route, route } from "../http/route.js";
import { VERSION } from "../version.js";

export const healthRoutes: Route[] = [
  route({
    method: "GET",
    path: "/healthz",
    access: "public",
    body: NO_BODY,
    handler: () => ({ ok: true, version: VERSION }),
  }),
];
