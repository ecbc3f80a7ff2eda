import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { checkedInConfig, WORKER_KEYS } from "@bernstein/stack-spec";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";

describe("the checked-in wrangler.jsonc of each Worker", () => {
  it.each(WORKER_KEYS)(
    "%s matches @bernstein/stack-spec (else: pnpm --filter @bernstein/deploy write-configs)",
    async (key) => {
      const path = fileURLToPath(import.meta.resolve(`@bernstein/${key}/wrangler.jsonc`));
      expect(parse(await readFile(path, "utf8"))).toEqual(checkedInConfig(key));
    },
  );
});
