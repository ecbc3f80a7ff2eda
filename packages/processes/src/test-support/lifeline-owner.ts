// A process that starts a stubborn command (it ignores SIGTERM) in its own group, ties it to its
// lifeline and prints the command's identity; `close` as the second argument unties it and exits.
import { spawn } from "node:child_process";
import { identityOf, lifeline } from "../index.js";

const [ledger, mode] = process.argv.slice(2);
const line = lifeline();
line.arm(); // the guard is up before the command starts
const child = spawn("/bin/sh", ["-c", "trap '' TERM; sleep 300 & wait"], { detached: true, stdio: "ignore" });
child.unref();
const id = identityOf(child.pid as number);
if (!id) throw new Error("the command did not start");
line.useLedger(ledger);
const untie = line.watch(id, { role: "command", group: true });
process.stdout.write(`${JSON.stringify(id)}\n`);
if (mode === "close") {
  untie();
  line.useLedger(undefined);
  await line.close();
} else {
  setInterval(() => undefined, 1_000);
}
