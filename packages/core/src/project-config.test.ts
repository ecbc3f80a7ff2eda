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
      agent: { commands: { env: [] } },
    });
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
  });
});
