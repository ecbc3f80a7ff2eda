declare namespace Cloudflare {
  interface Env {
    ARTIFACTS: R2Bucket;
    TEST_WORKFLOW: Workflow<import("./test-workflow.js").TestParams>;
  }
}
interface Env extends Cloudflare.Env {}
