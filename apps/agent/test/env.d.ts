declare namespace Cloudflare {
  interface Env {
    ARTIFACTS: R2Bucket;
  }
}
interface Env extends Cloudflare.Env {}
