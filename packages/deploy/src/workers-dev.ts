/**
 * The URL of a Worker on workers.dev: `https://<script>.<subdomain>.workers.dev`. The
 * environment's `BERNSTEIN_WORKERS_DEV_URL_TEMPLATE` (with `{script}` and `{subdomain}`)
 * replaces the pattern: the loopback Cloudflare stand-in of the tests serves each script there.
 */
export function workersDevUrl(
  env: Readonly<Record<string, string | undefined>>,
  script: string,
  subdomain: string,
): string {
  const template = env.BERNSTEIN_WORKERS_DEV_URL_TEMPLATE || "https://{script}.{subdomain}.workers.dev";
  return template.replaceAll("{script}", script).replaceAll("{subdomain}", subdomain);
}

/** The account's workers.dev subdomain, as `wrangler deploy` prints it in the Worker's URL. */
export function subdomainFromOutput(output: string, script: string): string | undefined {
  const escaped = script.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`https://${escaped}\\.([a-z0-9-]+)\\.workers\\.dev`).exec(output)?.[1];
}
