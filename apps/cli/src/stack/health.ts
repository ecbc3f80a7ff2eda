import { createClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";
import type { StackInfo } from "./stack-file.js";

/** True when the stack of stack.json answers `/healthz` quickly. */
export async function isHealthy(info: Pick<StackInfo, "url">, timeoutMs = 2_000): Promise<boolean> {
  try {
    await createClient({ baseUrl: info.url }).health({ timeoutMs });
    return true;
  } catch (error) {
    if (error instanceof BernsteinError && error.code === "stack_unreachable") return false;
    throw error;
  }
}
