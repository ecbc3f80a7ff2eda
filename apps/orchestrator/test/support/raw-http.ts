import { Agent, request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/**
 * Plain HTTP/1.1 over a keep-alive agent (one socket per agent), as a client that reuses its
 * connection would: a connection the server drops shows up as a request error (ECONNRESET).
 */
export function rawClient(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    send(req: RawRequest): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const body = typeof req.body === "string" ? Buffer.from(req.body) : req.body;
        const headers: Record<string, string> = { ...req.headers };
        if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "transfer-encoding")) {
          headers["content-length"] = String(body.byteLength);
        }
        const r = request(
          { agent, host: url.hostname, port: url.port, path: req.path, method: req.method, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString("utf8"),
              }),
            );
            res.on("error", reject);
          },
        );
        r.on("error", reject);
        if (body !== undefined) r.write(body);
        r.end();
      });
    },
    close: () => agent.destroy(),
  };
}
