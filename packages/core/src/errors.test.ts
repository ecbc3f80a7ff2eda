import { describe, expect, it } from "vitest";
import { BernsteinError, errorCodeOf, statusForCode, toBernsteinError, toTransportError } from "./errors.js";

describe("BernsteinError", () => {
  it("survives a JSON round trip", () => {
    const err = new BernsteinError("plan_cycle", "cycle a -> b -> a", { details: { ids: ["a", "b", "a"] } });
    const back = BernsteinError.fromJSON(JSON.parse(JSON.stringify(err)));
    expect(back.toJSON()).toEqual(err.toJSON());
    expect(back.status).toBe(400);
  });

  it("reads a code back from a message that crossed a Workflow boundary", () => {
    expect(errorCodeOf(new Error("model_auth: key rejected"))).toBe("model_auth");
    expect(toBernsteinError(new Error("model_auth: key rejected")).message).toBe("key rejected");
    expect(errorCodeOf(new Error("boom"))).toBe("internal");
    expect(errorCodeOf({ code: "not_found" })).toBe("not_found");
    // workerd names an Error subclass in front of its message when it crosses RPC
    expect(toBernsteinError(new Error("BernsteinError: conflict: taken")).toJSON()).toEqual({
      code: "conflict",
      message: "taken",
    });
    expect(errorCodeOf(toTransportError(new BernsteinError("plan_cycle", "a -> a")))).toBe("plan_cycle");
  });

  it("maps codes to HTTP statuses", () => {
    expect(statusForCode("unauthorized")).toBe(401);
    expect(statusForCode("forbidden")).toBe(403);
    expect(statusForCode("illegal_transition")).toBe(409);
  });
});
