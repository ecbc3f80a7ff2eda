/**
 * Releases what an RPC result holds (workerd's `Symbol.dispose` on it) and returns the value,
 * still usable: results here are plain data, so disposing drops only the RPC's hold on the
 * other side. Under Miniflare, `step.do` is an RPC to the Workflows engine, which returns the
 * value it got back from the step's callback (itself an RPC result, so it carries a disposer):
 * the engine's result then expects a dispose, and without one workerd warns "An RPC result
 * was not disposed properly" when the garbage collector finds it. On Cloudflare, and for
 * values without a disposer (replayed results, primitives), this does nothing.
 */
export function releaseRpcResult<T>(value: T): T {
  // Typed loosely: not every program that compiles this package has the `esnext.disposable` lib.
  const dispose = (Symbol as { dispose?: symbol }).dispose;
  if (!dispose || typeof value !== "object" || value === null) return value;
  const release = (value as Record<symbol, unknown>)[dispose];
  if (typeof release === "function") release.call(value);
  return value;
}
