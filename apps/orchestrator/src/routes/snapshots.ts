import { createArtifactStore } from "@bernstein/artifacts";
import { BernsteinError, CreateSnapshotRequest, Sha256 } from "@bernstein/core";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";

const getSnapshot = (path: string, access: "admin" | "admin-or-runner") =>
  route({
    method: "GET",
    path,
    access,
    body: NO_BODY,
    async handler({ request, env }) {
      const sha256 = idParam(Sha256, request.params.sha256, "snapshot");
      const manifest = await createArtifactStore(env.ARTIFACTS).getManifest(sha256);
      if (!manifest) throw new BernsteinError("not_found", `no snapshot ${sha256}`);
      return { sha256, manifest };
    },
  });

export const snapshotRoutes: Route[] = [
  /** Stores a manifest once its tree holds: clean paths, no file under a file, every blob stored with its size. */
  route({
    method: "POST",
    path: "/v1/snapshots",
    access: "admin",
    body: jsonBody(CreateSnapshotRequest, 32 * 1024 * 1024),
    async handler({ env, body }) {
      const store = createArtifactStore(env.ARTIFACTS);
      await store.checkManifest(body.manifest);
      const sha256 = await store.putManifest(body.manifest);
      return Response.json({ sha256, files: Object.keys(body.manifest).length }, { status: 201 });
    },
  }),
  getSnapshot("/v1/snapshots/:sha256", "admin"),
  // Runners read manifests too, on their own route (a runner token reaches only runner routes).
  getSnapshot("/v1/runners/snapshots/:sha256", "admin-or-runner"),
];
