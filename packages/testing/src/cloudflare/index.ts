export { ALL_PERMISSIONS, type Permission } from "./auth.js";
export { type RecordedApiRequest, SECRET_PLACEHOLDER } from "./record.js";
export { splitStatements } from "./sql-split.js";
export { type CloudflareStandIn, type CloudflareStandInOptions, startCloudflareStandIn } from "./stand-in.js";
export type { AccountState, BucketRecord, D1Record, ScriptRecord, WorkflowRecord } from "./state.js";
