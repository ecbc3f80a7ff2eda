import { meterD1 } from "./d1.js";
import { meterNamespace } from "./durable-objects.js";
import { meterR2 } from "./r2.js";

const metered = new WeakMap<object, object>();

/** The binding's class as the runtime names it (RPC stubs and Fetchers answer any property, so no duck typing). */
function className(value: unknown): string {
  if (typeof value !== "object" || value === null) return "";
  const ctor = Object.getPrototypeOf(value)?.constructor as { name?: unknown } | undefined;
  return typeof ctor?.name === "string" ? ctor.name : "";
}

function meterBinding(value: unknown): unknown {
  switch (className(value)) {
    case "D1Database":
      return meterD1(value as D1Database);
    case "R2Bucket":
      return meterR2(value as R2Bucket);
    case "DurableObjectNamespace":
      return meterNamespace(value as DurableObjectNamespace);
    default:
      return value;
  }
}

/**
 * The Worker's environment with its D1, R2 and Durable Object bindings counting what they do;
 * every other binding is the same object. One metered copy per environment object.
 */
export function meterEnv<E extends object>(env: E): E {
  const known = metered.get(env);
  if (known) return known as E;
  const copy = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, meterBinding(value)])) as E;
  metered.set(env, copy);
  return copy;
}
