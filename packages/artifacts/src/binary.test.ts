import { describe, expect, it } from "vitest";
import { BINARY_SNIFF_BYTES, decodeText, isBinary } from "./binary.js";

describe("isBinary / decodeText", () => {
  it("calls a NUL in the first 8 KiB binary, and only there", () => {
    expect(isBinary(new TextEncoder().encode("plain text\n"))).toBe(false);
    expect(isBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBe(true);
    const late = new Uint8Array(BINARY_SNIFF_BYTES + 10).fill(0x61);
    late[BINARY_SNIFF_BYTES + 5] = 0;
    expect(isBinary(late)).toBe(false);
    late[BINARY_SNIFF_BYTES - 1] = 0;
    expect(isBinary(late)).toBe(true);
  });

  it("decodes UTF-8 text and refuses invalid UTF-8", () => {
    expect(decodeText(new TextEncoder().encode("héllo ✓\n"))).toBe("héllo ✓\n");
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x41]))).toBeNull();
    expect(decodeText(new Uint8Array([0x41, 0x00]))).toBeNull();
  });
});
