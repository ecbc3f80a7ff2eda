// Writes bernstein.schema.json from the zod schema; src/project-config.test.ts checks it for drift.
import { writeFileSync } from "node:fs";
import { projectConfigJsonSchema } from "../src/project-config.js";

writeFileSync(
  new URL("../bernstein.schema.json", import.meta.url),
  `${JSON.stringify(projectConfigJsonSchema(), null, 2)}\n`,
);
