import { type BlobStore, createBlobStore } from "./blobs.js";
import { createManifestStore, type ManifestStore } from "./manifests.js";
import { createObjectStore, type ObjectStore } from "./objects.js";
import { createSpillStore, type SpillStore } from "./spill.js";

/** Everything Bernstein keeps in R2: blobs, manifests, run artifacts, spilled step results. */
export interface ArtifactStore extends BlobStore, ManifestStore, ObjectStore, SpillStore {}

/** The artifact client over an R2 bucket (binding `ARTIFACTS`). */
export function createArtifactStore(bucket: R2Bucket): ArtifactStore {
  return {
    ...createBlobStore(bucket),
    ...createManifestStore(bucket),
    ...createObjectStore(bucket),
    ...createSpillStore(bucket),
  };
}
