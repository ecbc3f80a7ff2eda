import { BernsteinError, type Manifest } from "@bernstein/core";
import pMap from "p-map";
import { readGitObjects } from "./cat-file.js";
import { type RepoSnapshot, sha256Of } from "./snapshot.js";

/** The part of the API an upload needs (a BernsteinClient, or an in-memory stand-in in tests). */
export interface SnapshotUploadApi {
  missingBlobs(hashes: readonly string[]): Promise<string[]>;
  putBlob(sha256: string, bytes: Uint8Array): Promise<unknown>;
  createSnapshot(manifest: Manifest): Promise<{ sha256: string; files: number }>;
}

export interface UploadResult {
  /** Manifest hash: the run's `baseSnapshot`. */
  sha256: string;
  files: number;
  uploadedBlobs: number;
  uploadedBytes: number;
}

export interface UploadOptions {
  /** Blob PUTs in flight (default 8). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Uploads only the blobs the stack lacks, then the manifest. */
export async function uploadSnapshot(
  api: SnapshotUploadApi,
  root: string,
  snapshot: RepoSnapshot,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const hashes = [...new Set(Object.values(snapshot.manifest).map((entry) => entry.sha256))];
  const missing = await api.missingBlobs(hashes);
  const total = missing.length;
  let done = 0;
  let bytes = 0;
  const put = async (sha256: string, content: Uint8Array) => {
    // The cache maps blob ids to hashes; a damaged cache must not upload wrong content.
    if (sha256Of(content) !== sha256) {
      throw new BernsteinError("hash_mismatch", `content read for blob ${sha256} hashes differently`, {
        details: { fix: "Delete .bernstein/cache and run the command again." },
      });
    }
    await api.putBlob(sha256, content);
    done++;
    bytes += content.length;
    options.onProgress?.(done, total);
  };

  const fromGit: { sha1: string; sha256: string }[] = [];
  const fromBytes: { sha256: string; bytes: Buffer }[] = [];
  for (const sha256 of missing) {
    const ref = snapshot.blobs.get(sha256);
    if (!ref) throw new BernsteinError("internal", `the stack asked for blob ${sha256}, which is not in the snapshot`);
    if (ref.kind === "git") fromGit.push({ sha1: ref.sha1, sha256 });
    else fromBytes.push({ sha256, bytes: ref.bytes });
  }
  const concurrency = options.concurrency ?? 8;
  await pMap(fromBytes, (blob) => put(blob.sha256, blob.bytes), { concurrency });
  const wanted = new Map(fromGit.map((blob) => [blob.sha1, blob.sha256]));
  // p-map reads the objects as the uploads make room (back-pressure), and stops at a failure.
  const objects = readGitObjects(root, [...wanted.keys()]);
  try {
    await pMap(objects, (object) => put(wanted.get(object.sha1) as string, object.content), { concurrency });
  } finally {
    await objects.return(undefined); // ends `git cat-file` when an upload failed first
  }
  const created = await api.createSnapshot(snapshot.manifest);
  return { sha256: created.sha256, files: created.files, uploadedBlobs: done, uploadedBytes: bytes };
}
