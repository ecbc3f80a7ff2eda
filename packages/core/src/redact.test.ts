import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactDeep, redactSecrets } from "./redact.js";

describe("redaction", () => {
  it("replaces known values wherever they occur, also JSON- and URL-escaped", () => {
    const redact = createRedactor(["s3cr3t-value-1234", 'quo"ted-secret!', undefined, "short"]);
    expect(redact("a s3cr3t-value-1234 b")).toBe(`a ${REDACTED} b`);
    expect(redact(JSON.stringify({ x: 'quo"ted-secret!' }))).toBe(`{"x":"${REDACTED}"}`);
    expect(redact(`?k=${encodeURIComponent('quo"ted-secret!')}`)).toBe(`?k=${REDACTED}`);
    expect(redact("short stays")).toBe("short stays");
  });

  it.each([
    ["sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"],
    ["sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"],
    ["ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"],
    ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv"],
    ["AKIAIOSFODNN7EXAMPLE"],
    ["bst_runner_abcdefghijklmnopqrstuvwxyz012345"],
    ["xoxb-1234567890-abcdefghij"],
    ["AIzaSyA1234567890abcdefghijklmnopqrstuv"],
  ])("redacts the shape of %s", (secret) => {
    const out = redactSecrets(`before ${secret} after`);
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it("redacts the values of secret-named variables, keeping the names", () => {
    const env = [
      "GITHUB_TOKEN=gho_0123456789abcdefghijklmnopqrstuvwxyz",
      "CLOUDFLARE_API_TOKEN=Zk3mQ9xV2pL7wR4tY8uI1oP6aS5dF0gH3jK2lZ9x",
      "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "db_password: hunter2hunter2",
      '"apiKey": "abcdef123456"',
      "PATH=/usr/bin:/bin",
      "LANG=C.UTF-8",
    ].join("\n");
    const out = redactSecrets(env);
    expect(out).not.toMatch(/gho_|Zk3mQ9|wJalrX|hunter2|abcdef123456/);
    expect(out).toContain(`GITHUB_TOKEN=${REDACTED}`);
    expect(out).toContain(`CLOUDFLARE_API_TOKEN=${REDACTED}`);
    expect(out).toContain(`AWS_SECRET_ACCESS_KEY=${REDACTED}`);
    expect(out).toContain("PATH=/usr/bin:/bin");
    expect(out).toContain("LANG=C.UTF-8");
  });

  it("redacts private keys, bearer headers and URL credentials", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    expect(redactSecrets(`k:\n${key}\nend`)).toBe(`k:\n${REDACTED}\nend`);
    expect(redactSecrets("-----BEGIN RSA PRIVATE KEY-----\nMIIE... cut")).toBe(REDACTED);
    expect(redactSecrets("Authorization: Bearer abc.def.ghi123")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactSecrets("git clone https://user:pa55word@example.com/x.git")).toBe(
      `git clone https://${REDACTED}@example.com/x.git`,
    );
  });

  it("leaves ordinary text alone", () => {
    const text = "export function add(a, b) {\n  return a + b; // tokens: 3\n}\nsha 0123456789abcdef0123";
    expect(redactSecrets(text)).toBe(text);
  });

  it("redacts inside JSON values and keys", () => {
    const redact = createRedactor(["known-secret-xyz"]);
    expect(redactDeep({ a: ["known-secret-xyz"], "known-secret-xyz": 1, n: 2 }, redact)).toEqual({
      a: [REDACTED],
      [REDACTED]: 1,
      n: 2,
    });
  });

  it("never lets a known secret through, whatever surrounds it", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), (before, after, secret) => {
        const out = createRedactor([secret])(`${before}${secret}${after}`);
        expect(out.includes(secret)).toBe(false);
      }),
    );
  });

  it("stays linear on hostile input", () => {
    const hostile = `${"-----BEGIN A PRIVATE KEY-----".repeat(2_000)}${"TOKEN=".repeat(20_000)}${"a".repeat(200_000)}`;
    expect(typeof redactSecrets(hostile)).toBe("string");
  });
});
