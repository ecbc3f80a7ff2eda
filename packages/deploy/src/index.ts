export { MODEL_SECRETS } from "@bernstein/stack-spec";
export { resolveAccount } from "./account.js";
export { type DeployOptions, type DeployResult, deploy } from "./deploy.js";
export {
  DEPLOY_ORDER,
  type DeployTarget,
  type Jurisdiction,
  type WorkerBundles,
  type WrittenWorker,
  writeDeployConfigs,
} from "./deploy-configs.js";
export { type DestroyOptions, type DestroyResult, destroy } from "./destroy.js";
export { OWNER_TABLE } from "./ownership.js";
export { type DeployPlan, PLAN_NOTES, type PlannedResource, type ResourceAction, type ResourceKind } from "./plan.js";
export {
  deployDir,
  type ProjectRecord,
  type ProjectsFile,
  projectsFilePath,
  readProjects,
  requireProject,
  updateProject,
  writeProjects,
} from "./projects-file.js";
export { workersDevUrl } from "./workers-dev.js";
export { runWrangler, runWranglerJson, type WranglerCall, type WranglerContext, wranglerBin } from "./wrangler.js";
