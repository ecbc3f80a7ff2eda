import { createArtifactStore } from "@bernstein/artifacts";
import { BernsteinError } from "@bernstein/core";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";

/** Keys a client may read: run artifacts, snapshots and blobs, nothing else. */
const READABLE_KEY = /^(runs\/r_[a-z0-9]{12}\/[A-Za-z0-9_.\-/]+|snapshots\/[0-9a-f]{64}\.json|blobs\/[0-9a-f]{64})$/;

export function artifactRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get("/v1/artifacts/*", async (request, env) => {
    const key = decodeURIComponent(new URL(request.url).pathname.slice("/v1/artifacts/".length));
    if (!READABLE_KEY.test(key) || key.split("/").includes("..")) {
      throw new BernsteinError("not_found", `no artifact ${key}`);
    }
    const stream = await createArtifactStore(env.ARTIFACTS).getStream(key);
    if (!stream) throw new BernsteinError("not_found", `no artifact ${key}`);
    const type = key.endsWith(".json") ? "application/json" : "application/octet-stream";
    return new Response(stream, { headers: { "content-type": type } });
  });
}
