export {
  type BernsteinClient,
  type ClientOptions,
  type CreateSnapshotResult,
  createClient,
  type HealthResponseBody,
  type PutBlobResult,
  type SnapshotResult,
} from "./client.js";
export type { EventsOptions } from "./run-events.js";
export { normalizeBaseUrl } from "./transport.js";
