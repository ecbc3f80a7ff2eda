declare namespace Cloudflare {
  interface Env {
    ARTIFACTS: R2Bucket;
    OUTAGE_LOOP: Workflow<import("./outage-loop-workflow.js").OutageLoopParams>;
  }
}
interface Env extends Cloudflare.Env {}
