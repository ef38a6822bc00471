import { describe, expect, it } from "vitest";
import { DomainError } from "../src/errors.js";
import { idempotencyKey, operationIdOf, requestFingerprint } from "../src/idempotency/index.js";

const refusal = (raw: string | undefined) => {
  try {
    idempotencyKey(raw);
  } catch (error) {
    if (error instanceof DomainError) return error;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
};

describe("Idempotency-Key", () => {
  it("accepts 1 to 255 printable ASCII characters and refuses anything else with a 400 naming the header", () => {
    for (const ok of ["a", crypto.randomUUID(), "x".repeat(255), "order 42/retry#1"])
      expect(idempotencyKey(ok)).toBe(ok);
    expect(refusal(undefined).message).toMatch(/Idempotency-Key header is required/);
    for (const bad of ["", "x".repeat(256), "caf\u00e9", "tab\there", " lead", "trail "]) {
      const error = refusal(bad);
      expect(error.kind, JSON.stringify(bad)).toBe("validation");
      expect(error.issues[0]?.field).toBe("Idempotency-Key");
    }
  });

  it("names one operation per actor, route and key, in characters safe for ids", () => {
    const scope = { actorId: "sam", route: "POST /awards/{awardId}/top-up", key: "k:#1" };
    const id = operationIdOf(scope);
    expect(id).toMatch(/^op-[A-Za-z0-9_-]{26}$/);
    expect(operationIdOf({ ...scope })).toBe(id);
    expect(operationIdOf({ ...scope, actorId: "kim" })).not.toBe(id);
    expect(operationIdOf({ ...scope, key: "k:#2" })).not.toBe(id);
  });

  it("fingerprints a request by its path parameters and body, whatever the order of keys", () => {
    const a = requestFingerprint({ awardId: "awd_1" }, { creditsCents: 1000, reason: "more", cashCents: 0 });
    expect(
      requestFingerprint({ awardId: "awd_1" }, { cashCents: 0, reason: "more", creditsCents: 1000 }),
    ).toBe(a);
    expect(
      requestFingerprint({ awardId: "awd_2" }, { cashCents: 0, reason: "more", creditsCents: 1000 }),
    ).not.toBe(a);
    expect(
      requestFingerprint({ awardId: "awd_1" }, { cashCents: 0, reason: "more", creditsCents: 2000 }),
    ).not.toBe(a);
  });
});
