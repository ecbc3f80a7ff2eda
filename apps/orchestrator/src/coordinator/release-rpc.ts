/**
 * Releases an RPC result that holds a stub, such as the Workflow instance handle that
 * `create()` and `get()` return under Miniflare (an RPC to its Workflows engine). Until it is
 * disposed the remote object stays alive and workerd warns "An RPC result was not disposed
 * properly"; the garbage collector may take arbitrarily long. On Cloudflare the handle holds no
 * stub and this does nothing.
 */
export function releaseRpcResult(value: unknown): void {
  const dispose = (Symbol as { dispose?: symbol }).dispose;
  if (!dispose || typeof value !== "object" || value === null) return;
  const release = (value as Record<symbol, unknown>)[dispose];
  if (typeof release === "function") release.call(value);
}
