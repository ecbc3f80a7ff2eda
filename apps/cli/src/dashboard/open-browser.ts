import { spawn } from "node:child_process";

/**
 * Opens `url` in the user's browser: `$BROWSER` when set (the usual convention), else the
 * platform's opener (`open`, `xdg-open`, `start`). Resolves false when none could be started,
 * so the caller points at the printed link instead. A few lines of our own rather than a
 * dependency: the link is always printed, and `--no-open` turns this off.
 */
export function openBrowser(url: string, env: Readonly<Record<string, string | undefined>>): Promise<boolean> {
  const [command, args] = opener(url, env);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore", detached: true, env: { ...env } });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}

function opener(url: string, env: Readonly<Record<string, string | undefined>>): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  if (process.platform === "darwin") return ["open", [url]];
  if (process.platform === "win32") return ["cmd", ["/c", "start", '""', url]];
  return ["xdg-open", [url]];
}
