/** Lays rows out in columns padded to the widest cell; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => visibleLength(row[col] ?? ""))));
  return all
    .map((row) =>
      row
        .map((cell, col) =>
          col === row.length - 1 ? cell : cell + " ".repeat((widths[col] ?? 0) - visibleLength(cell)),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

// Colour codes take no room on screen.
function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
