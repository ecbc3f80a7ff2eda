import { createArtifactStore } from "@bernstein/artifacts";
import { BernsteinError } from "@bernstein/core";
import { NO_BODY, type Route, route } from "../http/route.js";

/** Keys a client may read: run artifacts, snapshots and blobs, nothing else. */
const READABLE_KEY = /^(runs\/r_[a-z0-9]{12}\/[A-Za-z0-9_.\-/]+|snapshots\/[0-9a-f]{64}\.json|blobs\/[0-9a-f]{64})$/;

export const artifactRoutes: Route[] = [
  route({
    method: "GET",
    path: "/v1/artifacts/*",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const raw = new URL(request.url).pathname.slice("/v1/artifacts/".length);
      const key = safeDecode(raw);
      const parts = key?.split("/") ?? [];
      if (key === undefined || !READABLE_KEY.test(key) || parts.includes("..") || parts.includes(".")) {
        throw new BernsteinError("not_found", `no artifact ${JSON.stringify(raw.slice(0, 200))}`);
      }
      const stream = await createArtifactStore(env.ARTIFACTS).getStream(key);
      if (!stream) throw new BernsteinError("not_found", `no artifact ${key}`);
      const type = key.endsWith(".json") ? "application/json" : "application/octet-stream";
      return new Response(stream, { headers: { "content-type": type } });
    },
  }),
];

function safeDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch (error) {
    if (error instanceof URIError) return undefined; // a malformed escape names no artifact
    throw error;
  }
}
