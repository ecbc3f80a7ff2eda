import { through } from "./bind-through.js";
import { bump, counts } from "./counts.js";

const CLASS_A = new Set(["put", "list", "createMultipartUpload", "uploadPart", "complete"]);
const CLASS_B = new Set(["get", "head"]);
const FREE = new Set(["delete", "abort"]);
const UPLOADS = new Set(["createMultipartUpload", "resumeMultipartUpload"]);

function record(operation: string): void {
  const r2 = counts().r2;
  bump(r2.byOperation, operation);
  if (CLASS_A.has(operation)) r2.classA += 1;
  else if (CLASS_B.has(operation)) r2.classB += 1;
  else if (FREE.has(operation)) r2.free += 1;
}

/** Counts the operations of an object (a bucket or a multipart upload) by R2's billing class. */
function meterOperations<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, prop) {
      const value = through(object, prop);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      const call = value as (...args: unknown[]) => unknown;
      if (UPLOADS.has(prop)) {
        // create is a Promise (and a Class A operation); resume is local, and synchronous.
        return (...args: unknown[]) => {
          if (prop === "createMultipartUpload") record(prop);
          const upload = call(...args);
          return upload instanceof Promise
            ? upload.then((u: object) => meterOperations(u))
            : meterOperations(upload as object);
        };
      }
      if (!CLASS_A.has(prop) && !CLASS_B.has(prop) && !FREE.has(prop)) return value;
      return (...args: unknown[]) => {
        record(prop);
        return call(...args);
      };
    },
  });
}

/** An R2 bucket that counts Class A, Class B and free operations. */
export function meterR2(bucket: R2Bucket): R2Bucket {
  return meterOperations(bucket);
}
