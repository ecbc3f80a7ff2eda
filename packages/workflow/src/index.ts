export { type DoStepOptions, doStep } from "./do-step.js";
export { createJournal, type Journal, type JournalStart } from "./journal.js";
export { isPermanent, PERMANENT_CODES } from "./permanent.js";
export { MAX_MODEL_TRIES_PER_STEP, RETRY, type RetryPreset } from "./retry.js";
export { fromStepError, StepFailedError, toStepError } from "./step-error.js";
export { STEP } from "./step-names.js";
export {
  type TypedEvent,
  type WaitForEventOptions,
  waitForJournaledEvent,
  waitForTypedEvent,
} from "./wait-for-event.js";
