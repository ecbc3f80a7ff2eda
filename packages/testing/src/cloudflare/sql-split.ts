/**
 * Splits SQL text into statements on the semicolons outside quotes and comments, the way the
 * D1 query API runs a multi-statement body (each statement one result). Enough for DDL and
 * DML; `CREATE TRIGGER ... BEGIN ... END` bodies are kept whole.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let depth = 0; // inside BEGIN ... END of a trigger
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
      current += "\n";
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
      current += " ";
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      const close = ch === "[" ? "]" : ch;
      let j = i + 1;
      while (j < sql.length && !(sql[j] === close && sql[j + 1] !== close)) j += sql[j] === close ? 2 : 1;
      current += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch) && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? " ")) {
      const word = /^[A-Za-z_]+/.exec(sql.slice(i))?.[0] ?? ch;
      const upper = word.toUpperCase();
      if (upper === "BEGIN" && /CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER/i.test(current)) depth++;
      else if (upper === "END" && depth > 0) depth--;
      current += word;
      i += word.length;
      continue;
    }
    if (ch === ";" && depth === 0) {
      if (current.trim() !== "") statements.push(current.trim());
      current = "";
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim() !== "") statements.push(current.trim());
  return statements;
}
