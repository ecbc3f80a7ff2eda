import { defineConfig } from "drizzle-kit";

// The coordinator's own SQLite (a Durable Object's storage): see src/coordinator-schema.ts.
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./src/coordinator-schema.ts",
  out: "./drizzle-coordinator",
});
