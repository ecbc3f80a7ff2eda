export type { AdminApi } from "./admin-api.js";
export {
  type BernsteinClient,
  type ClientOptions,
  type CreateSnapshotResult,
  createClient,
  type HealthResponseBody,
  type PutBlobResult,
  type SnapshotResult,
} from "./client.js";
export type { ConnectionChange, EventsOptions } from "./run-events.js";
export {
  followRunState,
  loadRunState,
  type RunStateApi,
  type RunUpdate,
  type WatchRunOptions,
  watchRunState,
} from "./run-state.js";
export {
  createRunnerClient,
  type JobResult,
  type RunnerClaimOptions,
  type RunnerClient,
  type RunnerClientOptions,
  registerRunner,
} from "./runner-client.js";
export { normalizeBaseUrl } from "./transport.js";
