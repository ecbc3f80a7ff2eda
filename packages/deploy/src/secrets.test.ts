import { describe, expect, it } from "vitest";
import type { ProjectRecord } from "./projects-file.js";
import { changedSecrets, desiredSecrets, fingerprint } from "./secrets.js";

const record: ProjectRecord = {
  name: "acme",
  accountId: "a",
  apiToken: "bst_api_first",
  auditKey: "audit-key",
  database: { name: "db" },
  bucket: { name: "bucket" },
  workers: {},
};

describe("deploy secrets after `tokens rotate --admin --cloud`", () => {
  it("keep the first admin token as API_TOKEN, so the live one is never a Worker secret and nothing is set again", () => {
    const before = desiredSecrets("orchestrator", record, {});
    expect(before).toEqual({ API_TOKEN: "bst_api_first", AUDIT_HMAC_KEY: "audit-key" });
    const known = Object.fromEntries(Object.entries(before).map(([n, v]) => [n, fingerprint(record, v)]));

    const rotated: ProjectRecord = { ...record, apiToken: "bst_live_admin", bootstrapToken: "bst_api_first" };
    const after = desiredSecrets("orchestrator", rotated, {});
    expect(after).toEqual(before);
    expect(JSON.stringify(after)).not.toContain("bst_live_admin");
    expect(changedSecrets(after, rotated, known)).toEqual({});
  });

  it("a changed secret is still set again", () => {
    const known = { API_TOKEN: fingerprint(record, "bst_api_first"), AUDIT_HMAC_KEY: fingerprint(record, "old") };
    expect(changedSecrets(desiredSecrets("orchestrator", record, {}), record, known)).toEqual({
      AUDIT_HMAC_KEY: "audit-key",
    });
  });
});
