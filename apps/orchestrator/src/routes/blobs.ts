import { createArtifactStore } from "@bernstein/artifacts";
import { BernsteinError, MissingBlobsRequest, Sha256 } from "@bernstein/core";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";

/** Largest blob accepted in one PUT; bigger files are not snapshot material. */
export const MAX_BLOB_BYTES = 100 * 1024 * 1024;

const getBlob = (path: string, access: "admin" | "admin-or-runner") =>
  route({
    method: "GET",
    path,
    access,
    body: NO_BODY,
    async handler({ request, env }) {
      const sha = idParam(Sha256, request.params.sha256, "blob");
      const stream = await createArtifactStore(env.ARTIFACTS).getBlobStream(sha);
      if (!stream) throw new BernsteinError("not_found", `no blob ${sha}`);
      return new Response(stream, { headers: { "content-type": "application/octet-stream" } });
    },
  });

export const blobRoutes: Route[] = [
  route({
    method: "POST",
    path: "/v1/blobs/missing",
    access: "admin",
    body: jsonBody(MissingBlobsRequest, 8 * 1024 * 1024),
    async handler({ env, body }) {
      return { missing: await createArtifactStore(env.ARTIFACTS).missingBlobs(body.hashes) };
    },
  }),
  route({
    method: "PUT",
    path: "/v1/blobs/:sha256",
    access: "admin",
    body: { kind: "stream", maxBytes: MAX_BLOB_BYTES },
    async handler({ request, env }) {
      const sha = idParam(Sha256, request.params.sha256, "blob");
      const length = Number(request.headers.get("content-length"));
      const store = createArtifactStore(env.ARTIFACTS);
      const result = request.body
        ? await store.putBlobStream(request.body, sha, length)
        : await store.putBlob(new Uint8Array(), sha);
      return Response.json({ sha256: result.sha256, bytes: result.bytes }, { status: result.created ? 201 : 200 });
    },
  }),
  getBlob("/v1/blobs/:sha256", "admin"),
  // Runners read blobs too, on their own route (a runner token reaches only runner routes).
  getBlob("/v1/runners/blobs/:sha256", "admin-or-runner"),
];
