import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/**
 * HTTP/1.1 on one keep-alive socket, one request at a time, written and parsed by hand: a
 * connection the server drops fails the request (ECONNRESET, or a close before an answer),
 * and the client costs next to nothing per request (Node's http client was most of a fuzz
 * run's CPU). A `Connection: close` answer makes the next request open a new socket.
 */
export function rawClient(baseUrl: string) {
  const url = new URL(baseUrl);
  let socket: Socket | undefined;
  let buffer = Buffer.alloc(0);
  let waiting: { resolve(r: RawResponse): void; reject(e: Error): void } | undefined;

  const fail = (error: Error) => {
    socket = undefined;
    const w = waiting;
    waiting = undefined;
    w?.reject(error);
  };

  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      buffer = Buffer.alloc(0);
      const s = connect({ host: url.hostname, port: Number(url.port) }, () => resolve(s));
      s.setNoDelay(true);
      s.on("data", (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        parse();
      });
      s.on("error", (error) => {
        reject(error);
        fail(error);
      });
      s.on("close", () => {
        if (socket === s) socket = undefined;
        if (waiting) fail(new Error("the server closed the connection before answering"));
      });
      socket = s;
    });

  const parse = () => {
    if (!waiting) return;
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = buffer.subarray(0, end).toString("latin1").split("\r\n");
    const status = Number(head[0]?.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const at = line.indexOf(":");
      headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
    let rest = buffer.subarray(end + 4);
    let body: Buffer;
    if (headers["transfer-encoding"]?.includes("chunked")) {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = rest.indexOf("\r\n");
        if (lineEnd < 0) return;
        const size = Number.parseInt(rest.subarray(0, lineEnd).toString("latin1"), 16);
        if (rest.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          rest = rest.subarray(lineEnd + 4);
          break;
        }
        chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        rest = rest.subarray(lineEnd + 2 + size + 2);
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers["content-length"] ?? 0);
      if (rest.length < length) return;
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    }
    buffer = Buffer.from(rest);
    const w = waiting;
    waiting = undefined;
    if (headers.connection?.toLowerCase() === "close") {
      socket?.end();
      socket = undefined;
    }
    w.resolve({ status, headers, body: body.toString("utf8") });
  };

  return {
    async send(req: RawRequest): Promise<RawResponse> {
      const body = typeof req.body === "string" ? Buffer.from(req.body) : req.body ? Buffer.from(req.body) : undefined;
      const lines = [`${req.method} ${req.path} HTTP/1.1`, `host: ${url.host}`];
      for (const [name, value] of Object.entries(req.headers ?? {})) lines.push(`${name}: ${value}`);
      if (body !== undefined) lines.push(`content-length: ${body.byteLength}`);
      const s = socket ?? (await open());
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        s.write(`${lines.join("\r\n")}\r\n\r\n`);
        if (body !== undefined) s.write(body);
      });
    },
    close: () => {
      socket?.destroy();
      socket = undefined;
    },
  };
}
