import { Parser } from "tap-parser";
import { readFileSync } from "node:fs";
const p = new Parser();
const seen = [];
function watch(parser, depth) {
  parser.on("assert", (r) => seen.push({ depth, ok: r.ok, name: r.name, fullname: r.fullname, skip: r.skip, todo: r.todo, diagError: r.diag?.error, diagType: r.diag?.type, keys: Object.keys(r) }));
  parser.on("child", (c) => watch(c, depth + 1));
}
watch(p, 0);
p.on("complete", (res) => { console.log(JSON.stringify(seen, null, 1)); console.log("final", res.ok, res.count, res.pass, res.fail, res.plan); });
p.end(readFileSync(process.argv[2]));
