/**
 * The guard: a small Node script (run with `node -e`, so it needs no file of its own in any
 * bundle) that watches processes for its parent. The parent writes one line per change to its
 * stdin: `w <pid> <startTime|-> <g|p>` (watch a process, or the group it leads), `u <pid>`
 * (forget it), `q` (the parent is ending cleanly: exit without killing). When stdin closes
 * without `q`, the parent died: every watched process that is still the one it was (same start
 * time) gets SIGTERM, and SIGKILL 1.5 s later if it is still there. Then the guard exits.
 */
export const GUARD_SOURCE = String.raw`
"use strict";
const fs = require("node:fs");
const watched = new Map();
let quit = false;
let buffer = "";
function stat(pid) {
  let text;
  try { text = fs.readFileSync("/proc/" + pid + "/stat", "utf8"); } catch (e) { return undefined; }
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: f[0], pgrp: Number(f[2]), start: Number(f[19]) };
}
function targets() {
  const out = [];
  const groups = [];
  for (const w of watched.values()) {
    if (w.group) { groups.push(w); continue; }
    const s = stat(w.pid);
    if (s && s.state !== "Z" && (w.start === null || s.start === w.start)) out.push(w.pid);
  }
  if (groups.length > 0) {
    for (const name of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const s = stat(name);
      if (!s || s.state === "Z") continue;
      for (const g of groups) if (s.pgrp === g.pid && (g.start === null || s.start >= g.start)) out.push(Number(name));
    }
  }
  return out;
}
function signalAll(sig) {
  for (const pid of targets()) {
    try { process.kill(pid, sig); } catch (e) { if (e.code !== "ESRCH") process.exitCode = 1; }
  }
}
function parentGone() {
  if (quit) process.exit(0);
  signalAll("SIGTERM");
  const deadline = Date.now() + 1500;
  const tick = () => {
    if (targets().length === 0) process.exit();
    if (Date.now() >= deadline) { signalAll("SIGKILL"); process.exit(); }
    setTimeout(tick, 50);
  };
  tick();
}
process.on("SIGINT", () => {});
process.on("SIGHUP", () => {});
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf("\n")) >= 0) {
    const [op, pid, start, kind] = buffer.slice(0, at).split(" ");
    buffer = buffer.slice(at + 1);
    if (op === "w") watched.set(pid, { pid: Number(pid), start: start === "-" ? null : Number(start), group: kind === "g" });
    else if (op === "u") watched.delete(pid);
    else if (op === "q") quit = true;
  }
});
process.stdin.on("end", parentGone);
process.stdin.on("error", parentGone);
`;
