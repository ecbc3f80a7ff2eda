/** Minutes of continuous unavailability after which a run pauses as `model_unavailable` (`BERNSTEIN_MODEL_UNAVAILABLE_MINUTES`). */
export const MODEL_UNAVAILABLE_MINUTES = 10;

/** A run's `model.retrying` events come at the first failure, then at most this often. */
export const MODEL_RETRYING_EVENT_MS = 30_000;

/**
 * A model call that failed in a way that waiting may cure (429, 5xx/529, no connection), as a
 * workflow reports it to the run's coordinator before it sleeps and tries again. It uses up
 * no attempt; its budget reservation (`instanceId`/`step`) is released.
 */
export interface ModelOutageReport {
  instanceId: string;
  step: string;
  provider: string;
  /** The HTTP status, or null when the provider could not be reached at all. */
  status: number | null;
  /** The failure's code (`model_unavailable`, `model_rate_limited`) and message, scrubbed of secrets. */
  code: string;
  message: string;
  /** How long the workflow sleeps before it tries again. */
  retryInMs: number;
}

/**
 * The threshold in ms from the setting's text (minutes, fractions allowed): the default when
 * it is absent, not a number or not positive.
 */
export function modelUnavailableMs(setting: string | undefined): number {
  const minutes = Number(setting);
  const chosen = setting !== undefined && setting.trim() !== "" && Number.isFinite(minutes) && minutes > 0;
  return (chosen ? minutes : MODEL_UNAVAILABLE_MINUTES) * 60_000;
}

/** `anthropic 503`, `anthropic unreachable`: the provider and what it answered. */
export function outageWhat(provider: string | undefined, status: number | undefined | null): string {
  return `${provider ?? "the model"} ${typeof status === "number" ? status : "unreachable"}`;
}

/**
 * The outage a run is in as its activity feed tells it: the text of the latest `model.retrying`
 * entry unless a `model.available` came after it; undefined while the model answers.
 */
export function currentOutage(activity: readonly { type: string; text: string }[]): string | undefined {
  for (let i = activity.length - 1; i >= 0; i--) {
    const entry = activity[i];
    if (entry?.type === "model.available") return undefined;
    if (entry?.type === "model.retrying") return entry.text;
  }
  return undefined;
}
