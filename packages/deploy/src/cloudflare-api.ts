import { BernsteinError } from "@bernstein/core";
import { runWranglerJson, type WranglerContext } from "./wrangler.js";

/**
 * The few Cloudflare API calls wrangler has no command for (listing and deleting the objects
 * of an R2 bucket before it can be deleted), with the token wrangler itself uses.
 */
export interface CloudflareApi {
  listObjects(bucket: string, cursor: string | undefined): Promise<{ keys: string[]; cursor: string | undefined }>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

export async function createCloudflareApi(
  context: WranglerContext,
  jurisdiction: string | undefined,
): Promise<CloudflareApi> {
  const auth = await runWranglerJson<{ type: string; token: string }>(context, {
    args: ["auth", "token", "--json"],
    doing: "read the API token",
  });
  const base = (context.env.CLOUDFLARE_API_BASE_URL || "https://api.cloudflare.com/client/v4").replace(/\/+$/, "");
  const headers: Record<string, string> = { authorization: `Bearer ${auth.token}` };
  if (jurisdiction) headers["cf-r2-jurisdiction"] = jurisdiction;
  const call = async (
    method: string,
    path: string,
  ): Promise<{ result: unknown; result_info?: { cursor?: string } }> => {
    const response = await fetch(`${base}/accounts/${context.accountId}${path}`, { method, headers });
    const body = (await response.json()) as {
      success: boolean;
      errors?: { code: number; message: string }[];
      result: unknown;
      result_info?: { cursor?: string };
    };
    if (!response.ok || !body.success) {
      const reason = (body.errors ?? []).map((e) => `${e.message} [code: ${e.code}]`).join("; ");
      const code = response.status === 403 ? "cloud_permission" : response.status === 401 ? "cloud_auth" : "cloud_api";
      throw new BernsteinError(code, `${method} ${path.split("?")[0]} failed: ${reason || `HTTP ${response.status}`}`);
    }
    return body;
  };
  return {
    async listObjects(bucket, cursor) {
      const query = new URLSearchParams({ per_page: "1000", ...(cursor ? { cursor } : {}) });
      const body = await call("GET", `/r2/buckets/${bucket}/objects?${query}`);
      const keys = (body.result as { key: string }[]).map((o) => o.key);
      return { keys, cursor: body.result_info?.cursor || undefined };
    },
    async deleteObject(bucket, key) {
      await call("DELETE", `/r2/buckets/${bucket}/objects/${encodeURIComponent(key)}`);
    },
  };
}

/** Deletes every object of a bucket (R2 refuses to delete a bucket that holds any). */
export async function emptyBucket(api: CloudflareApi, bucket: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await api.listObjects(bucket, undefined);
    if (page.keys.length === 0) return deleted;
    for (let i = 0; i < page.keys.length; i += 16) {
      await Promise.all(page.keys.slice(i, i + 16).map((key) => api.deleteObject(bucket, key)));
    }
    deleted += page.keys.length;
  }
}
