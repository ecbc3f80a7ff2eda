import { stripVTControlCharacters } from "node:util";
import { BernsteinError } from "@bernstein/core";

const TOKEN_DOCS = "docs/deploy.md#api-token";

/**
 * Turns wrangler's failure output into one error with a fix: a missing or invalid token
 * (`cloud_auth`), a token without a permission (`cloud_permission`), anything else the API
 * refused (`cloud_api`, with wrangler's own first error line).
 */
export function wranglerFailure(doing: string, output: string): BernsteinError {
  const text = stripVTControlCharacters(output);
  const reason = firstError(text);
  if (
    /non-interactive environment.*CLOUDFLARE_API_TOKEN|not authenticated|You are not logged in|"loggedIn":\s*false/i.test(
      text,
    )
  ) {
    return new BernsteinError("cloud_auth", `no Cloudflare credentials: cannot ${doing}`, {
      details: {
        fix: `Set CLOUDFLARE_API_TOKEN to an API token of your account (permissions: ${TOKEN_DOCS}), or run \`wrangler login\`.`,
      },
    });
  }
  if (/\[code: (1000|10001|9106|6003|6111)\]|Invalid API Token|Unable to authenticate request/i.test(text)) {
    return new BernsteinError("cloud_auth", `Cloudflare refused the API token: cannot ${doing} (${reason})`, {
      details: { fix: `Check CLOUDFLARE_API_TOKEN: create a new token in the dashboard (${TOKEN_DOCS}).` },
    });
  }
  if (/\[code: 10000\]|Authentication error/i.test(text)) {
    return new BernsteinError("cloud_permission", `the API token may not ${doing} (${reason})`, {
      details: {
        fix: `Give the token the permissions listed in ${TOKEN_DOCS} (Workers Scripts, D1, Workers R2 Storage: Edit; Account Settings: Read), then deploy again.`,
      },
    });
  }
  return new BernsteinError("cloud_api", `wrangler could not ${doing}: ${reason}`, {
    details: { fix: "Read the message above; run again with --debug to see wrangler's whole output." },
  });
}

/** The first `[ERROR]` of wrangler's output with the lines that explain it, on one line. */
function firstError(text: string): string {
  const lines = text.split("\n").map((line) => line.trim());
  const start = lines.findIndex((line) => /^✘ \[ERROR\]|^\[ERROR\]|^X \[ERROR\]/.test(line));
  if (start === -1) return lines.filter((line) => line !== "").slice(-1)[0] ?? "no output";
  const parts: string[] = [];
  for (const line of lines.slice(start, start + 6)) {
    if (/If you think this is a bug|Logs were written|^🪵/.test(line)) break;
    if (line !== "") parts.push(line.replace(/^✘ \[ERROR\]\s*|^X \[ERROR\]\s*|^\[ERROR\]\s*/, ""));
  }
  return parts.join(" ").replace(/\s+/g, " ").trim();
}
