import { createRequire } from "node:module";
import { arch, cpus, platform, release, totalmem } from "node:os";

/** Where and with what the figures were measured. */
export interface Environment {
  date: string;
  node: string;
  miniflare: string;
  workerd: string;
  os: string;
  cpu: string;
  cpus: number;
  memoryGiB: number;
}

/** The machine and the versions of Node, Miniflare and workerd this process runs. */
export function describeEnvironment(now: Date): Environment {
  const require = createRequire(import.meta.url);
  const miniflarePackage = require.resolve("miniflare/package.json");
  const miniflare = require(miniflarePackage) as { version: string };
  const workerd = createRequire(miniflarePackage)("workerd/package.json") as { version: string };
  return {
    date: now.toISOString(),
    node: process.version,
    miniflare: miniflare.version,
    workerd: workerd.version,
    os: `${platform()} ${release()} ${arch()}`,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}
