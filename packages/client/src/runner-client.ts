import {
  BernsteinError,
  ClaimJobResponse,
  CreateRunnerRequest,
  ExecResult,
  type ExecResultInput,
  HeartbeatResponse,
  JobResultRequest,
  MAX_CLAIM_WAIT_SECONDS,
  type Manifest,
  parseWith,
  RunnerCreated,
  type RunnerJob,
  SnapshotResponse,
} from "@bernstein/core";
import type { z } from "zod";
import { createTransport, type TransportOptions } from "./transport.js";

/** A runner's connection: the stack's URL and the runner token (not the API token). */
export interface RunnerClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch | undefined;
  /** Per-request timeout of ordinary calls, in ms (default 60 s; a claim waits longer). */
  timeoutMs?: number | undefined;
}

export interface RunnerClaimOptions {
  labels?: readonly string[];
  /** How long the stack may hold the request open when no job is queued (0-25 s, default 20). */
  waitSeconds?: number;
}

export type JobResult = z.input<typeof JobResultRequest>;

/** The runner routes of the orchestrator API (`/v1/runners/*`). Every failure is a BernsteinError. */
export interface RunnerClient {
  /** The stack's URL, without credentials or trailing slash (safe to print). */
  readonly baseUrl: string;
  /** `POST /v1/runners/jobs/claim`: the next job, or null when none came within the wait. */
  claim(options?: RunnerClaimOptions, signal?: AbortSignal): Promise<RunnerJob | null>;
  /** `GET /v1/runners/snapshots/:sha256`: a manifest. */
  snapshot(sha256: string): Promise<{ sha256: string; manifest: Manifest }>;
  /** `GET /v1/runners/blobs/:sha256`: raw bytes (the caller checks the hash). */
  blob(sha256: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** `POST /v1/runners/jobs/:id/heartbeat`; a lost lease is a `conflict` error. */
  heartbeat(jobId: string, signal?: AbortSignal): Promise<{ leaseExpiresAt: string }>;
  /** `PUT /v1/runners/jobs/:id/log` with the (capped) log text. */
  uploadLog(jobId: string, text: string): Promise<void>;
  /** `POST /v1/runners/jobs/:id/result`; a lost lease is a `conflict` error. */
  postResult(jobId: string, result: JobResult): Promise<void>;
  /** `POST /v1/runners/jobs/:id/result` of an exec job (an agent's command). */
  postExecResult(jobId: string, result: ExecResultInput): Promise<void>;
  /** Hands a held job back to the queue (the runner is stopping); `conflict` when no longer held. */
  release(jobId: string): Promise<void>;
}

// Blobs can be large: give their transfers more time than ordinary calls.
const BLOB_TIMEOUT_MS = 300_000;
// A claim is held open up to waitSeconds: allow that plus the time to answer.
const CLAIM_SLACK_MS = 15_000;
const DEFAULT_WAIT_SECONDS = 20;

/** Creates a client of the runner routes, authenticated with a runner token. */
export function createRunnerClient(options: RunnerClientOptions): RunnerClient {
  const http = createTransport(options);
  const id = encodeURIComponent;
  const parse = <S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> =>
    parseWith(schema, body, "internal", `response of ${what}`);

  return {
    baseUrl: http.baseUrl,

    async claim(claimOptions = {}, signal) {
      const waitSeconds = Math.min(
        MAX_CLAIM_WAIT_SECONDS,
        Math.max(0, Math.floor(claimOptions.waitSeconds ?? DEFAULT_WAIT_SECONDS)),
      );
      const response = await http.send("POST", "/v1/runners/jobs/claim", {
        json: { labels: [...(claimOptions.labels ?? [])], waitSeconds },
        signal,
        timeoutMs: waitSeconds * 1000 + CLAIM_SLACK_MS,
      });
      if (response.status === 204) {
        await drain(response);
        return null;
      }
      const body = await jsonOf(response, "POST /v1/runners/jobs/claim");
      return parse(ClaimJobResponse, body, "POST /v1/runners/jobs/claim").job;
    },

    async snapshot(sha256) {
      const body = await http.json("GET", `/v1/runners/snapshots/${id(sha256)}`);
      return parse(SnapshotResponse, body, "GET /v1/runners/snapshots/:sha256");
    },

    async blob(sha256, signal) {
      const response = await http.send("GET", `/v1/runners/blobs/${id(sha256)}`, {
        accept: "application/octet-stream",
        timeoutMs: BLOB_TIMEOUT_MS,
        signal,
      });
      return new Uint8Array(await response.arrayBuffer());
    },

    async heartbeat(jobId, signal) {
      const body = await http.json("POST", `/v1/runners/jobs/${id(jobId)}/heartbeat`, { signal });
      return parse(HeartbeatResponse, body, "POST /v1/runners/jobs/:id/heartbeat");
    },

    async uploadLog(jobId, text) {
      const response = await http.send("PUT", `/v1/runners/jobs/${id(jobId)}/log`, {
        bytes: new TextEncoder().encode(text),
        timeoutMs: BLOB_TIMEOUT_MS,
      });
      await drain(response);
    },

    async release(jobId) {
      await drain(await http.send("POST", `/v1/runners/jobs/${id(jobId)}/release`));
    },

    async postResult(jobId, result) {
      const request = parseWith(JobResultRequest, result, "invalid_body", "job result");
      await drain(await http.send("POST", `/v1/runners/jobs/${id(jobId)}/result`, { json: request }));
    },

    async postExecResult(jobId, result) {
      const request = parseWith(ExecResult, result, "invalid_body", "command result");
      await drain(await http.send("POST", `/v1/runners/jobs/${id(jobId)}/result`, { json: request }));
    },
  };
}

/** `POST /v1/runners` with the API token: registers a runner and returns its token (shown once). */
export async function registerRunner(
  options: TransportOptions,
  request: z.input<typeof CreateRunnerRequest>,
): Promise<RunnerCreated> {
  const http = createTransport(options);
  const body = parseWith(CreateRunnerRequest, request, "invalid_body", "runner registration");
  const created = await http.json("POST", "/v1/runners", { json: body });
  return parseWith(RunnerCreated, created, "internal", "response of POST /v1/runners");
}

async function jsonOf(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BernsteinError("internal", `${what} answered with a body that is not JSON`, {
      cause: error,
      details: { status: response.status },
    });
  }
}

// An unread body keeps the connection busy: read it even when the answer carries nothing we need.
async function drain(response: Response): Promise<void> {
  await response.arrayBuffer();
}
