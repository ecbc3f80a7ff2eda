import { createArtifactStore } from "@bernstein/artifacts";
import { BernsteinError, CreateSnapshotRequest, normalizeRepoPath, Sha256 } from "@bernstein/core";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { idParam, readJson } from "../http/body.js";

export function snapshotRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  /** Stores a manifest once every path is a clean repo path and every blob it names is stored. */
  router.post("/v1/snapshots", async (request, env) => {
    const { manifest } = await readJson(request, CreateSnapshotRequest);
    const bad = Object.keys(manifest).filter((p) => safeNormalize(p) !== p);
    if (bad.length > 0) {
      throw new BernsteinError(
        "invalid_body",
        `manifest paths must be normalised repo paths: ${bad.slice(0, 5).join(", ")}`,
      );
    }
    const store = createArtifactStore(env.ARTIFACTS);
    const missing = await store.missingBlobs(Object.values(manifest).map((e) => e.sha256));
    if (missing.length > 0) {
      throw new BernsteinError(
        "invalid_body",
        `${missing.length} blobs of the manifest are not uploaded (first: ${missing[0]})`,
        {
          details: { missing: missing.slice(0, 100) },
        },
      );
    }
    const sha256 = await store.putManifest(manifest);
    return Response.json({ sha256, files: Object.keys(manifest).length }, { status: 201 });
  });

  // Runners read manifests too, on their own route (a runner token reaches only runner routes).
  for (const path of ["/v1/snapshots/:sha256", "/v1/runners/snapshots/:sha256"]) {
    router.get(path, async (request, env) => {
      const sha256 = idParam(Sha256, request.params.sha256, "snapshot");
      const manifest = await createArtifactStore(env.ARTIFACTS).getManifest(sha256);
      if (!manifest) throw new BernsteinError("not_found", `no snapshot ${sha256}`);
      return { sha256, manifest };
    });
  }
}

function safeNormalize(path: string): string | undefined {
  try {
    return normalizeRepoPath(path);
  } catch (error) {
    if (error instanceof BernsteinError) return undefined;
    throw error;
  }
}
