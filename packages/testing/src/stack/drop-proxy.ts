import { connect, createServer, type Socket } from "node:net";

/** A TCP relay in front of the stack whose connections can be cut, as a proxy or a network does. */
export interface DropProxy {
  /** The stack's URL through the relay. */
  url: string;
  /** Connections opened through the relay so far. */
  readonly opened: number;
  /** Cuts every open connection on both sides; returns how many it cut. */
  dropAll(): number;
  /** Stops forwarding on every open connection without closing it (a half-open connection); returns how many. */
  freezeAll(): number;
  close(): Promise<void>;
}

/** Starts a relay on a free loopback port that forwards to `target` (an http://host:port URL). */
export async function startDropProxy(target: string): Promise<DropProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let opened = 0;
  const server = createServer((downstream) => {
    opened++;
    const upstream = connect(Number(port), hostname);
    const pair: [Socket, Socket] = [downstream, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const local = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${local}`,
    get opened() {
      return opened;
    },
    dropAll() {
      const cut = pairs.size;
      for (const [downstream, upstream] of pairs) {
        upstream.destroy();
        downstream.destroy();
      }
      pairs.clear();
      return cut;
    },
    freezeAll() {
      for (const [downstream, upstream] of pairs) {
        upstream.unpipe(downstream);
        downstream.unpipe(upstream);
        upstream.pause();
      }
      return pairs.size;
    },
    async close() {
      for (const [downstream, upstream] of pairs) {
        upstream.destroy();
        downstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
