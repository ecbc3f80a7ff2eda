import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isNotFound } from "./stack-file.js";

/** A fresh API token for one start of the stack. */
export function generateToken(): string {
  return `bst_${randomBytes(32).toString("base64url")}`;
}

/** The stack's audit HMAC key: created once (mode 0600), then reused so old chains verify. */
export async function loadOrCreateAuditKey(path: string): Promise<string> {
  try {
    const key = (await readFile(path, "utf8")).trim();
    if (/^[0-9a-f]{64}$/.test(key)) return key;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const key = randomBytes(32).toString("hex");
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  return key;
}
