export { countD1Answer } from "./d1.js";
export { meterDurableObject, meterWorker, meterWorkflow } from "./entry.js";
export { meterEnv } from "./meter-env.js";
export { isMeterOn, METER_BINDING } from "./switch.js";
