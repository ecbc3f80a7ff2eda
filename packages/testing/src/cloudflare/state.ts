/** The account the stand-in serves: what the API has created, as plain records. */

export interface D1Record {
  uuid: string;
  name: string;
  created_at: string;
  jurisdiction?: string;
  locationHint?: string;
}

export interface BucketRecord {
  name: string;
  creation_date: string;
  location?: string;
  jurisdiction?: string;
}

/** One module of an upload, as the multipart part carried it. */
export interface UploadedModule {
  name: string;
  contentType: string;
  content: Uint8Array;
}

/** A binding of an upload's metadata, as the API received it (secret values kept apart). */
export interface MetadataBinding {
  type: string;
  name: string;
  [field: string]: unknown;
}

export interface VersionRecord {
  id: string;
  number: number;
  created_on: string;
  mainModule: string;
  modules: UploadedModule[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Every binding but the secrets (those live on the script). */
  bindings: MetadataBinding[];
  /** The version's static assets: their manifest (path to content hash) and config, when it has some. */
  assets?: VersionAssets;
}

export interface VersionAssets {
  manifest: AssetManifest;
  /** `metadata.assets.config` of the upload (the fields the stand-in serves by). */
  config: AssetsConfig;
}

export interface AssetsConfig {
  run_worker_first?: boolean;
  not_found_handling?: "single-page-application" | "404-page" | "none";
  html_handling?: "auto-trailing-slash" | "force-trailing-slash" | "drop-trailing-slash" | "none";
}

/** An assets manifest as wrangler sends it: `/path` to the file's hash and size. */
export type AssetManifest = Record<string, { hash: string; size: number }>;

/**
 * An assets upload session: the upload token (`jwt`) opens it, the completion token closes it
 * once every file the manifest lacked is stored; an upload's metadata then names the
 * completion token.
 */
export interface AssetUploadSession {
  script: string;
  manifest: AssetManifest;
  /** Hashes still to upload. */
  missing: Set<string>;
  completionToken: string;
}

export interface DeploymentRecord {
  id: string;
  created_on: string;
  versionId: string;
  message?: string;
}

export interface ScriptRecord {
  name: string;
  tag: string;
  created_on: string;
  modified_on: string;
  versions: VersionRecord[];
  deployments: DeploymentRecord[];
  migrationTag?: string;
  /** Durable Object classes created by migrations, with their storage. */
  classes: Map<string, "sqlite" | "kv">;
  /** Secret values by name (never recorded, never returned). */
  secrets: Map<string, string>;
  subdomainEnabled: boolean;
}

export interface WorkflowRecord {
  id: string;
  name: string;
  script_name: string;
  class_name: string;
  created_on: string;
  modified_on: string;
}

export interface AccountState {
  id: string;
  name: string;
  subdomain: string;
  databases: Map<string, D1Record>;
  buckets: Map<string, BucketRecord>;
  scripts: Map<string, ScriptRecord>;
  workflows: Map<string, WorkflowRecord>;
  /** Uploaded asset files by hash (shared by every version that has them). */
  assetBlobs: Map<string, Uint8Array>;
  /** Open assets upload sessions by upload token. */
  assetSessions: Map<string, AssetUploadSession>;
}

/** The deployed version of a script (the latest deployment's), if any. */
export function deployedVersion(script: ScriptRecord): VersionRecord | undefined {
  const deployment = script.deployments.at(-1);
  return deployment ? script.versions.find((v) => v.id === deployment.versionId) : undefined;
}

export function now(): string {
  return new Date().toISOString();
}
