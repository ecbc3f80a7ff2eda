/** Bindings of the agent Worker (docs/internals.md lists them for both Workers). */
export interface Env {
  STATE_DB: D1Database;
  ARTIFACTS: R2Bucket;
  /** The orchestrator's RunCoordinator; called through `coordinatorFor`. */
  COORDINATOR: DurableObjectNamespace;
  BERNSTEIN_MODEL?: string;
  BERNSTEIN_PLANNER_MODEL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
}
