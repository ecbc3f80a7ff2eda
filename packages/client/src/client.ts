import {
  CostReport,
  CreateLoginRequest,
  type CreateRunInput,
  CreateRunRequest,
  CreateSnapshotResponse,
  HealthResponse,
  isTerminalRunStatus,
  LoginCode,
  type Manifest,
  MissingBlobsResponse,
  PutBlobResponse,
  parseWith,
  type Run,
  type RunEvent,
  RunList,
  RunnerStatus,
  RunResult,
  type RunSummary,
  RunSummaryList,
  RunView,
  SnapshotResponse,
  type Task,
  TaskList,
  TaskView,
} from "@bernstein/core";
import type { z } from "zod";
import { type AdminApi, adminApi } from "./admin-api.js";
import { type EventsOptions, followRunEvents } from "./run-events.js";
import { createTransport, type Transport, type TransportOptions } from "./transport.js";

export type ClientOptions = TransportOptions;

export type HealthResponseBody = z.infer<typeof HealthResponse>;
export type PutBlobResult = z.infer<typeof PutBlobResponse>;
export type CreateSnapshotResult = z.infer<typeof CreateSnapshotResponse>;
export type SnapshotResult = z.infer<typeof SnapshotResponse>;

/** The orchestrator API, one typed method per route. Every failure is a BernsteinError. */
export interface BernsteinClient extends AdminApi {
  /** The stack's URL, without credentials or trailing slash (safe to print). */
  readonly baseUrl: string;
  /** `GET /healthz`: the only public route. */
  health(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<HealthResponseBody>;
  /** `POST /v1/blobs/missing`, in chunks of 10,000: which of these hashes the stack lacks. */
  missingBlobs(hashes: readonly string[]): Promise<string[]>;
  /** `PUT /v1/blobs/:sha256` with the raw bytes; the stack verifies the hash. */
  putBlob(sha256: string, bytes: Uint8Array): Promise<PutBlobResult>;
  /** `GET /v1/blobs/:sha256` */
  getBlob(sha256: string): Promise<Uint8Array>;
  /** `POST /v1/snapshots {manifest}` */
  createSnapshot(manifest: Manifest): Promise<CreateSnapshotResult>;
  /** `GET /v1/snapshots/:sha256` */
  getSnapshot(sha256: string): Promise<SnapshotResult>;
  /** `POST /v1/runs` */
  createRun(body: CreateRunInput): Promise<RunView>;
  /** `GET /v1/runs/:id` */
  getRun(id: string): Promise<RunView>;
  /** `GET /v1/runs`: newest first. */
  listRuns(): Promise<Run[]>;
  /** `POST /v1/runs/:id/cancel` */
  cancelRun(id: string): Promise<RunView>;
  /** `GET /v1/runs/:id/tasks` */
  listTasks(runId: string): Promise<Task[]>;
  /** `GET /v1/tasks/:id` */
  getTask(id: string): Promise<TaskView>;
  /** `GET /v1/runs/:id/result`: the merges `pull` turns into commits. */
  getResult(runId: string): Promise<RunResult>;
  /** `GET /v1/artifacts/<key>`: raw bytes of an R2 artifact. */
  getArtifact(key: string): Promise<Uint8Array>;
  /** `GET /v1/runs/:id/cost`, or `GET /v1/cost` for every run. */
  cost(runId?: string): Promise<CostReport>;
  /** `GET /v1/runners[?run=RUN]`: the runners, how many are connected, the jobs waiting for one. */
  runnerStatus(runId?: string): Promise<RunnerStatus>;
  /** `GET /v1/runs/:id/events?after=seq` (SSE), reconnecting without duplicates or gaps. */
  events(runId: string, options?: EventsOptions): AsyncIterable<RunEvent>;
  /** `POST /v1/tasks/:id/cancel`: 409 `illegal_transition` once the task has finished. */
  cancelTask(id: string): Promise<TaskView>;
  /** `POST /v1/tasks/:id/approve`: a task waiting in `pending_approval` goes on to merge. */
  approveTask(id: string): Promise<TaskView>;
  /** `POST /v1/tasks/:id/reject {reason?}`: a task waiting in `pending_approval` fails (an empty reason is left out). */
  rejectTask(id: string, reason?: string): Promise<TaskView>;
  /** `POST /v1/tasks/:id/retry`: a failed (or blocked) task gets a new attempt. */
  retryTask(id: string): Promise<TaskView>;
  /** `GET /v1/tasks/:id/logs[?attempt=N]`: the verify log of the latest (or Nth) attempt, as text. */
  taskLogs(id: string, attempt?: number): Promise<string>;
  /** `POST /v1/runs/:id/budget {addUsd}`: raises the run's budget (a run paused for money goes on). */
  addBudget(runId: string, addUsd: number): Promise<RunView>;
  /** `POST /v1/dashboard/logins {runId}` (owner token): a one-time login code for the dashboard. */
  createLoginCode(runId?: string | null): Promise<LoginCode>;
  /** `GET /v1/dashboard/runs`: the newest runs with their progress. */
  listRunSummaries(): Promise<RunSummary[]>;
}

const MISSING_CHUNK = 10_000;
// Blobs can be large: give their transfers more time than ordinary calls.
const BLOB_TIMEOUT_MS = 300_000;

/** Creates a client of one stack (local or deployed). Works in Node and in Workers. */
export function createClient(options: ClientOptions): BernsteinClient {
  const http = createTransport(options);
  return buildClient(http);
}

function buildClient(http: Transport): BernsteinClient {
  const id = encodeURIComponent;
  const parse = <S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> =>
    parseWith(schema, body, "internal", `response of ${what}`);

  const getRun = async (runId: string): Promise<RunView> =>
    parse(RunView, await http.json("GET", `/v1/runs/${id(runId)}`), "GET /v1/runs/:id");

  const taskAction = async (taskId: string, action: string, body?: Record<string, unknown>): Promise<TaskView> => {
    const path = `/v1/tasks/${id(taskId)}/${action}`;
    const answer = await http.json("POST", path, body === undefined ? {} : { json: body });
    return parse(TaskView, answer, `POST /v1/tasks/:id/${action}`);
  };

  return {
    ...adminApi(http),
    baseUrl: http.baseUrl,

    async health(options = {}) {
      const body = await http.json("GET", "/healthz", {
        signal: options.signal,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      return parse(HealthResponse, body, "GET /healthz");
    },

    async missingBlobs(hashes) {
      const missing: string[] = [];
      for (let i = 0; i < hashes.length; i += MISSING_CHUNK) {
        const chunk = hashes.slice(i, i + MISSING_CHUNK);
        const body = await http.json("POST", "/v1/blobs/missing", { json: { hashes: chunk } });
        missing.push(...parse(MissingBlobsResponse, body, "POST /v1/blobs/missing").missing);
      }
      return missing;
    },

    async putBlob(sha256, bytes) {
      const body = await http.json("PUT", `/v1/blobs/${id(sha256)}`, { bytes, timeoutMs: BLOB_TIMEOUT_MS });
      return parse(PutBlobResponse, body, "PUT /v1/blobs/:sha256");
    },

    async getBlob(sha256) {
      const response = await http.send("GET", `/v1/blobs/${id(sha256)}`, {
        accept: "application/octet-stream",
        timeoutMs: BLOB_TIMEOUT_MS,
      });
      return new Uint8Array(await response.arrayBuffer());
    },

    async createSnapshot(manifest) {
      const body = await http.json("POST", "/v1/snapshots", { json: { manifest } });
      return parse(CreateSnapshotResponse, body, "POST /v1/snapshots");
    },

    async getSnapshot(sha256) {
      return parse(SnapshotResponse, await http.json("GET", `/v1/snapshots/${id(sha256)}`), "GET /v1/snapshots/:sha");
    },

    async createRun(input) {
      const request = parseWith(CreateRunRequest, input, "invalid_body", "run request");
      return parse(RunView, await http.json("POST", "/v1/runs", { json: request }), "POST /v1/runs");
    },

    getRun,

    async listRuns() {
      return parse(RunList, await http.json("GET", "/v1/runs"), "GET /v1/runs").runs;
    },

    async cancelRun(runId) {
      return parse(RunView, await http.json("POST", `/v1/runs/${id(runId)}/cancel`), "POST /v1/runs/:id/cancel");
    },

    async listTasks(runId) {
      return parse(TaskList, await http.json("GET", `/v1/runs/${id(runId)}/tasks`), "GET /v1/runs/:id/tasks").tasks;
    },

    async getTask(taskId) {
      return parse(TaskView, await http.json("GET", `/v1/tasks/${id(taskId)}`), "GET /v1/tasks/:id");
    },

    async getResult(runId) {
      return parse(RunResult, await http.json("GET", `/v1/runs/${id(runId)}/result`), "GET /v1/runs/:id/result");
    },

    async getArtifact(key) {
      const path = key.split("/").map(id).join("/");
      const response = await http.send("GET", `/v1/artifacts/${path}`, {
        accept: "application/octet-stream",
        timeoutMs: BLOB_TIMEOUT_MS,
      });
      return new Uint8Array(await response.arrayBuffer());
    },

    async cost(runId) {
      const path = runId === undefined ? "/v1/cost" : `/v1/runs/${id(runId)}/cost`;
      return parse(CostReport, await http.json("GET", path), `GET ${path}`);
    },

    async runnerStatus(runId) {
      const path = runId === undefined ? "/v1/runners" : `/v1/runners?run=${id(runId)}`;
      return parse(RunnerStatus, await http.json("GET", path), "GET /v1/runners");
    },

    events(runId, options) {
      const isTerminal = async (target: string) => isTerminalRunStatus((await getRun(target)).status);
      return followRunEvents(http, runId, isTerminal, options);
    },

    cancelTask: (taskId) => taskAction(taskId, "cancel"),
    approveTask: (taskId) => taskAction(taskId, "approve"),
    rejectTask: (taskId, reason) => taskAction(taskId, "reject", reason ? { reason } : {}),
    retryTask: (taskId) => taskAction(taskId, "retry"),

    async taskLogs(taskId, attempt) {
      const query = attempt === undefined ? "" : `?attempt=${encodeURIComponent(String(attempt))}`;
      const response = await http.send("GET", `/v1/tasks/${id(taskId)}/logs${query}`, { accept: "text/plain" });
      return response.text();
    },

    async addBudget(runId, addUsd) {
      const path = `/v1/runs/${id(runId)}/budget`;
      return parse(RunView, await http.json("POST", path, { json: { addUsd } }), "POST /v1/runs/:id/budget");
    },

    async createLoginCode(runId = null) {
      const json = parseWith(CreateLoginRequest, { runId }, "usage", "login request");
      return parse(LoginCode, await http.json("POST", "/v1/dashboard/logins", { json }), "POST /v1/dashboard/logins");
    },

    async listRunSummaries() {
      return parse(RunSummaryList, await http.json("GET", "/v1/dashboard/runs"), "GET /v1/dashboard/runs").runs;
    },
  };
}
