import { InterruptError } from "./interrupt.js";
import { processIo } from "./io.js";
import { runCli } from "./program.js";

// The first Ctrl-C asks every command to wind down (stop following, dispose a stack this
// process started); a second one exits at once.
const controller = new AbortController();
let interrupts = 0;
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.on(name, () => {
    interrupts++;
    if (interrupts > 1) process.exit(new InterruptError(name).exitCode);
    controller.abort(new InterruptError(name));
  });
}

const code = await runCli(process.argv.slice(2), processIo(controller.signal));
// Exit now: idle keep-alive sockets of fetch would otherwise hold the process for seconds.
process.exit(code);
