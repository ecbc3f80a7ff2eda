import type { ModelScript, ScriptedModelOptions } from "./script.js";

/** Mutable state of one scripted model server. */
export interface ScriptedServerState {
  script: ModelScript;
  options: ScriptedModelOptions;
  /** Injected failures already answered, by `key#turn`. */
  failuresServed: Map<string, number>;
  /** Requests answered so far (for distinct answer ids). */
  serial: number;
}
