import { createServer } from "node:net";
import { BernsteinError } from "@bernstein/core";

/** The BernsteinError `promise` rejects with; throws when it resolves or rejects with something else. */
export async function caughtError(promise: Promise<unknown>): Promise<BernsteinError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error("expected a BernsteinError, but the promise resolved");
  if (!(outcome.error instanceof BernsteinError)) {
    throw new Error(`expected a BernsteinError, got ${String(outcome.error)}`, { cause: outcome.error });
  }
  return outcome.error;
}

/** A loopback port nothing listens on (it was free a moment ago), to test unreachable stacks. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
