import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signPayload, verifySignature } from "../src/provider/signature.js";

const secret = "whsec-test";
const body = JSON.stringify({ type: "notify_project_create", awardId: "award-1", projectId: "p-1" });
const now = 1_760_000_000;

describe("provider signatures", () => {
  it("signs as t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const expected = createHmac("sha256", secret).update(`${now}.${body}`).digest("hex");
    expect(signPayload(secret, body, now + 0.9)).toBe(`t=${now},v1=${expected}`);
  });

  it("accepts a valid signature, over a string or the raw bytes", () => {
    const header = signPayload(secret, body, now);
    expect(verifySignature(secret, body, header, now)).toBe(true);
    expect(verifySignature(secret, Buffer.from(body), header, now + 299)).toBe(true);
  });

  it("rejects a tampered body", () => {
    const header = signPayload(secret, body, now);
    expect(verifySignature(secret, body.replace("p-1", "p-2"), header, now)).toBe(false);
    expect(verifySignature(secret, `${body} `, header, now)).toBe(false);
  });

  it("rejects a stale timestamp, and one too far in the future", () => {
    const header = signPayload(secret, body, now);
    expect(verifySignature(secret, body, header, now + 301)).toBe(false);
    expect(verifySignature(secret, body, header, now - 301)).toBe(false);
    expect(verifySignature(secret, body, header, now + 30, 10)).toBe(false);
  });

  it("rejects a timestamp changed after signing", () => {
    const header = signPayload(secret, body, now).replace(`t=${now}`, `t=${now + 1}`);
    expect(verifySignature(secret, body, header, now)).toBe(false);
  });

  it("rejects the wrong secret", () => {
    expect(verifySignature("another", body, signPayload(secret, body, now), now)).toBe(false);
    expect(verifySignature("", body, signPayload("", body, now), now)).toBe(false);
  });

  it("rejects missing and malformed headers", () => {
    const v1 = signPayload(secret, body, now).split(",")[1];
    for (const header of [undefined, null, "", "garbage", `t=${now}`, v1, `t=abc,${v1}`, `t=${now},v1=zz`]) {
      expect(verifySignature(secret, body, header, now)).toBe(false);
    }
  });

  it("accepts any of several v1 signatures, so that a secret can be rotated", () => {
    const old = signPayload("old-secret", body, now);
    const current = signPayload(secret, body, now);
    const both = `${current},${old.split(",")[1]}`;
    expect(verifySignature("old-secret", body, both, now)).toBe(true);
    expect(verifySignature(secret, body, both, now)).toBe(true);
    expect(verifySignature("third", body, both, now)).toBe(false);
  });
});
