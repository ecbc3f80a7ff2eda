import { createServer } from "node:net";
import { BernsteinError } from "@bernstein/core";

/** `wrangler dev`'s default too: `dev` moves off it when it is taken, unless `--port` named it. */
export const DEFAULT_PORT = 8787;

/** True when nothing listens on 127.0.0.1:`port` (checked by binding it for a moment). */
export async function isPortFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise<boolean>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * The port `dev` binds: the one given with `--port` (refused when taken: the user asked for
 * it), else 8787, else (8787 taken, say by `wrangler dev`) 0 for any free port, with a note.
 */
export async function choosePort(
  requested: number | undefined,
  note: (line: string) => void,
  preferred: number = DEFAULT_PORT,
): Promise<number> {
  if (requested === 0) return 0;
  const port = requested ?? preferred;
  if (await isPortFree(port)) return port;
  if (requested !== undefined) {
    throw new BernsteinError("conflict", `port ${port} on 127.0.0.1 is in use`, {
      details: { fix: "Pick another with --port N, or leave --port out (or --port 0) for a free one." },
    });
  }
  note(`Port ${port} is in use (another stack or \`wrangler dev\`?): using a free port instead.`);
  return 0;
}
