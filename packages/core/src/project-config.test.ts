import { describe, expect, it } from "vitest";
import committed from "../bernstein.schema.json" with { type: "json" };
import { parseProjectConfig, projectConfigJsonSchema } from "./project-config.js";

describe("bernstein.json", () => {
  it("accepts comments, trailing commas and $schema", () => {
    const text = `{
      // the editor finds the fields here
      "$schema": "./node_modules/@bernstein/core/bernstein.schema.json",
      "verify": { "commands": ["npm test",], }, /* trailing commas too */
    }`;
    expect(parseProjectConfig(text, "bernstein.json")).toMatchObject({ verify: { commands: ["npm test"] } });
    expect(parseProjectConfig("{}", "bernstein.json")).toEqual({
      verify: { commands: [], setup: [], reports: [], env: [] },
      agent: { commands: { allow: [], deny: [], timeoutSeconds: 120, maxOutputBytes: 65_536, env: [] } },
    });
  });

  it("reads the agents' command policy, keeping the defaults of what it leaves out", () => {
    const text = '{"agent": {"commands": {"deny": ["git push*"], "timeoutSeconds": 30}}}';
    expect(parseProjectConfig(text, "bernstein.json").agent.commands).toEqual({
      allow: [],
      deny: ["git push*"],
      timeoutSeconds: 30,
      maxOutputBytes: 65_536,
      env: [],
    });
    expect(() => parseProjectConfig('{"agent": {"commands": {"enabled": false}}}', "b.json")).toThrow(/enabled/);
    expect(() => parseProjectConfig('{"agent": {"commands": {"maxOutputBytes": 100}}}', "b.json")).toThrow(
      /agent\.commands\.maxOutputBytes/,
    );
  });

  it("names the line and column of a syntax error, and the field that does not fit", () => {
    expect(() => parseProjectConfig('{\n  "verify": {\n    "commands": [1 2]\n  }\n}', "b.json")).toThrow(
      /^b\.json:3:20: CommaExpected$/,
    );
    expect(() => parseProjectConfig('{"verify": {"commands": [""]}}', "b.json")).toThrow(/verify\.commands\.0/);
    expect(() => parseProjectConfig('{"verfy": {}}', "b.json")).toThrow(/verfy/);
  });

  it("publishes a JSON schema that matches the zod schema", () => {
    // Regenerate with `pnpm --filter @bernstein/core schema`.
    expect(committed).toEqual(projectConfigJsonSchema());
    expect(committed).toMatchObject({ properties: { verify: { properties: { commands: { type: "array" } } } } });
    expect(committed).toMatchObject({
      properties: { agent: { properties: { commands: { properties: { deny: { type: "array" } } } } } },
    });
  });
});
