/**
 * Lets the thread serve other requests in the middle of long work (a plan of thousands of
 * tasks). Where D1, R2 and the coordinator run in one workerd (the local stack), a chain of
 * calls between them never returns to the event loop's wait for sockets, so without a timer a
 * request such as `/healthz` waits for the whole chain. A timer of 0 ms costs next to nothing.
 */
export function yieldToIo(): Promise<void> {
  return scheduler.wait(0);
}
