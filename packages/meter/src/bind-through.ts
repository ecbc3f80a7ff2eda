/**
 * A property of a runtime object read for a Proxy: getters run on the object itself and
 * methods are called on it (workerd's bindings refuse a Proxy as `this`). They are called with
 * `Reflect.apply`, never `.bind`: on an RPC stub (a Workflow's step, a Durable Object stub)
 * every property is remote, `bind` included.
 */
export function through(target: object, prop: string | symbol): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  if (typeof value !== "function") return value;
  return (...args: unknown[]) => Reflect.apply(value, target, args);
}
