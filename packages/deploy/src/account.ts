import { BernsteinError } from "@bernstein/core";
import { runWranglerJson, type WranglerContext } from "./wrangler.js";

interface WhoAmI {
  loggedIn: boolean;
  accounts?: { id: string; name: string }[];
}

/**
 * The account to deploy to: the given one (`--account-id`, `CLOUDFLARE_ACCOUNT_ID`, the
 * project's), checked against what the credentials reach, or the only account they reach.
 */
export async function resolveAccount(context: WranglerContext, wanted: string | undefined): Promise<string> {
  const who = await runWranglerJson<WhoAmI>(context, {
    args: ["whoami", "--json"],
    doing: "check the Cloudflare credentials",
  });
  if (!who.loggedIn) {
    throw new BernsteinError(
      "cloud_auth",
      "no Cloudflare credentials: CLOUDFLARE_API_TOKEN is not set and wrangler is not logged in",
      {
        details: { fix: "Set CLOUDFLARE_API_TOKEN (permissions: docs/deploy.md#api-token), or run `wrangler login`." },
      },
    );
  }
  const accounts = who.accounts ?? [];
  const id = wanted ?? context.env.CLOUDFLARE_ACCOUNT_ID;
  if (id) {
    if (accounts.length > 0 && !accounts.some((a) => a.id === id)) {
      throw new BernsteinError("cloud_permission", `the credentials do not reach account ${id}`, {
        details: { fix: `Accounts they reach: ${accounts.map((a) => `${a.id} (${a.name})`).join(", ")}.` },
      });
    }
    return id;
  }
  if (accounts.length === 1) return (accounts[0] as { id: string }).id;
  throw new BernsteinError("usage", `the credentials reach ${accounts.length} accounts: choose one`, {
    details: { fix: `Pass --account-id ID (${accounts.map((a) => `${a.id} ${a.name}`).join("; ") || "none"}).` },
  });
}
