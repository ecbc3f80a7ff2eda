import { describe, expect, it } from "vitest";
import { createCappedLog, lastLines } from "./capped-log.js";

describe("createCappedLog", () => {
  it("keeps everything under the cap", () => {
    const log = createCappedLog(100);
    log.write("hello ");
    log.write(Buffer.from("world"));
    expect(log.text()).toBe("hello world");
    expect(log.cutBytes).toBe(0);
  });

  it("keeps the first and the last half of the cap, and says how much was cut", () => {
    const log = createCappedLog(20);
    for (let i = 0; i < 10; i++) log.write(`${i}${i}${i}${i}${i}\n`); // 60 bytes
    expect(log.totalBytes).toBe(60);
    expect(log.cutBytes).toBe(40);
    expect(log.text()).toBe(
      "00000\n1111\n[... 40 bytes cut: the log keeps its first 10 and last 10 bytes ...]\n888\n99999\n",
    );
  });

  it("trims the tail inside a chunk and across many small chunks", () => {
    const log = createCappedLog(8);
    log.write("abcd");
    for (const c of "efghijklmnop") log.write(c);
    log.write("QRSTUVWXYZ");
    expect(log.text()).toMatch(/^abcd\n\[\.\.\. 18 bytes cut.*\]\nWXYZ$/);
  });
});

describe("lastLines", () => {
  it("returns the last lines without the final newline", () => {
    const text = `${Array.from({ length: 80 }, (_, i) => `line ${i}`).join("\n")}\n`;
    const tail = lastLines(text, 50);
    expect(tail.split("\n")).toHaveLength(50);
    expect(tail.startsWith("line 30\n")).toBe(true);
    expect(tail.endsWith("line 79")).toBe(true);
  });

  it("keeps the end of an overlong line within the character limit", () => {
    expect(lastLines(`start${"x".repeat(100)}end`, 50, 10)).toBe("xxxxxxxend");
  });
});
