import type { IRequest } from "itty-router";
import type { z } from "zod";
import type { Env } from "../env.js";
import type { Access, Principal } from "./principal.js";

/**
 * What a route accepts as its body. Every route declares one, so a body a route does not take
 * is refused before the route acts (`none`), and every body is limited in size and type.
 */
export type BodySpec =
  | { kind: "none" }
  /** `application/json`, strict (see `readBody`), then the schema: unknown fields are refused. */
  | { kind: "json"; schema: z.ZodType; maxBytes: number }
  /** UTF-8 text (`text/plain` or `application/octet-stream`). */
  | { kind: "text"; maxBytes: number }
  /** `application/octet-stream`, left unread for the handler to stream (`Content-Length` required). */
  | { kind: "stream"; maxBytes: number };

/** What a handler gets: the request, the bindings, who is calling and the body, already checked. */
export interface RouteContext<Body> {
  request: IRequest;
  env: Env;
  ctx: ExecutionContext;
  principal: Principal | null;
  body: Body;
}

type BodyOf<B extends BodySpec> = B extends { kind: "json"; schema: infer S extends z.ZodType }
  ? z.infer<S>
  : B extends { kind: "text" }
    ? string
    : undefined;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** itty-router path pattern (`/v1/runs/:id`). */
  path: string;
  access: Access;
  body: BodySpec;
  // biome-ignore lint/suspicious/noExplicitAny: the table holds routes of every body type; `route()` types each handler.
  handler(context: RouteContext<any>): Promise<unknown> | unknown;
}

/** Declares a route with its handler typed by its body. */
export function route<B extends BodySpec>(definition: {
  method: Route["method"];
  path: string;
  access: Access;
  body: B;
  handler(context: RouteContext<BodyOf<B>>): Promise<unknown> | unknown;
}): Route {
  return definition;
}

export const NO_BODY = { kind: "none" } as const;

/** `{kind: "json"}` with the default limit of 1 MiB. */
export function jsonBody<S extends z.ZodType>(schema: S, maxBytes = 1024 * 1024) {
  return { kind: "json" as const, schema, maxBytes };
}
