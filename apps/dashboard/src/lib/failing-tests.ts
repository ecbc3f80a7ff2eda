/**
 * Names of the failing tests a verify log reports, read from the two formats `node --test`
 * and most runners print: TAP (`not ok 3 - name`) and the spec reporter (`✖ name (1.2ms)`).
 * Subtests and summary lines (`# fail 2`) are not names. Duplicates are dropped, order kept.
 */
export function failingTests(log: string): string[] {
  const names = new Set<string>();
  for (const line of log.split("\n")) {
    const tap = /^\s*not ok \d+(?: -)? (.+?)(?:\s+#\s.*)?$/.exec(line);
    const spec = tap ? null : /^\s*✖ (.+?)(?: \(\d[\d.]*m?s\))?$/.exec(line);
    const name = (tap ?? spec)?.[1]?.trim();
    if (name && !/^(failing tests:?|fail \d+)$/i.test(name)) names.add(name);
  }
  return [...names];
}
