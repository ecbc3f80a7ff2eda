// A runner-like process killed (SIGKILL) at the worst moment for its first command: started,
// and not yet tied to its lifeline. Prints the command's identity, then dies inside the
// lifeline's `watch` before it runs. Started by exec-commands.test.ts with `node --import tsx`.
import { lifeline } from "@bernstein/processes";
import { execCommands } from "../exec-commands.js";

const [cwd, command] = process.argv.slice(2);
if (!cwd || !command) throw new Error("usage: killed-before-tie.ts <cwd> <command>");
const line = lifeline();
line.watch = (id) => {
  process.stdout.write(`${JSON.stringify(id)}\n`); // a pipe: written before the next line runs
  process.kill(process.pid, "SIGKILL");
  throw new Error("SIGKILL did not end the process");
};
await execCommands({ commands: [command], cwd, env: { PATH: process.env.PATH ?? "" }, timeoutMs: 600_000 });
