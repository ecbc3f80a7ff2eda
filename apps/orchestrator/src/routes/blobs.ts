import { createArtifactStore } from "@bernstein/artifacts";
import { BernsteinError, MissingBlobsRequest, Sha256 } from "@bernstein/core";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { idParam, readJson } from "../http/body.js";

/** Largest blob accepted in one PUT; bigger files are not snapshot material. */
const MAX_BLOB_BYTES = 100 * 1024 * 1024;

export function blobRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post("/v1/blobs/missing", async (request, env) => {
    const { hashes } = await readJson(request, MissingBlobsRequest);
    return { missing: await createArtifactStore(env.ARTIFACTS).missingBlobs(hashes) };
  });

  router.put("/v1/blobs/:sha256", async (request, env) => {
    const sha = idParam(Sha256, request.params.sha256, "blob");
    const store = createArtifactStore(env.ARTIFACTS);
    const length = Number(request.headers.get("content-length") ?? Number.NaN);
    if (length > MAX_BLOB_BYTES) {
      throw new BernsteinError("payload_too_large", `blob is ${length} bytes; the limit is ${MAX_BLOB_BYTES}`);
    }
    const result =
      Number.isFinite(length) && request.body
        ? await store.putBlobStream(request.body, sha, length)
        : await store.putBlob(new Uint8Array(await request.arrayBuffer()), sha);
    return Response.json({ sha256: result.sha256, bytes: result.bytes }, { status: result.created ? 201 : 200 });
  });

  // Runners read blobs too, on their own route (a runner token reaches only runner routes).
  for (const path of ["/v1/blobs/:sha256", "/v1/runners/blobs/:sha256"]) {
    router.get(path, async (request, env) => {
      const sha = idParam(Sha256, request.params.sha256, "blob");
      const stream = await createArtifactStore(env.ARTIFACTS).getBlobStream(sha);
      if (!stream) throw new BernsteinError("not_found", `no blob ${sha}`);
      return new Response(stream, { headers: { "content-type": "application/octet-stream" } });
    });
  }
}
