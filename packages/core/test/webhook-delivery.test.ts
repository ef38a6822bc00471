import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  afterAttempt,
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  type Delivery,
  Delivery as DeliverySchema,
  deliveryIdFor,
  isRetryable,
  MAX_LOGGED_ATTEMPTS,
  nextAttemptAt,
  RESPONSE_EXCERPT_BYTES,
  responseExcerpt,
  retryAfterMs,
  retrySchedule,
  signWebhook,
  startCycle,
} from "../src/webhook/index.js";

const now = new Date("2026-11-30T12:00:00.000Z");
const secretA = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
const secretB = `whsec_${Buffer.alloc(32, 2).toString("base64")}`;
const subscriptionId = "sub_01jd3q0c5y8w2t6r4p9m7k1h3f";

const delivery = (): Delivery =>
  DeliverySchema.parse({
    deliveryId: deliveryIdFor(subscriptionId, "evt-1"),
    subscriptionId,
    ownerId: "cli_billing",
    eventId: "evt-1",
    eventType: "Award Activated",
    body: "{}",
    status: "pending",
    createdAt: now.toISOString(),
    nextAttemptAt: now.toISOString(),
    cycleAttempts: 0,
    attemptCount: 0,
    attempts: [],
    updatedAt: now.toISOString(),
    revision: 1,
  });

describe("Standard Webhooks signing", () => {
  const body = JSON.stringify({ type: "Award Activated", data: { awardId: "awd_x" } });

  it("verifies with the standardwebhooks library, with each secret of a rotation", () => {
    const headers = signWebhook({ webhookId: "dlv_a", body, secrets: [secretA, secretB], now: new Date() });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(secretA).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(secretB).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("does not verify with another secret or a changed body", () => {
    const headers = signWebhook({ webhookId: "dlv_a", body, secrets: [secretA], now: new Date() });
    expect(() => new Webhook(secretB).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secretA).verify(`${body} `, { ...headers })).toThrow();
  });

  it("puts the timestamp in seconds", () => {
    const headers = signWebhook({ webhookId: "dlv_a", body, secrets: [secretA], now });
    expect(headers["webhook-timestamp"]).toBe(String(now.getTime() / 1000));
  });
});

describe("retry policy", () => {
  it("waits more than 24 hours in all by default, and reads the test override", () => {
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600);
    expect(retrySchedule("1,1,2")).toEqual([1, 1, 2]);
    expect(retrySchedule(undefined)).toBe(DEFAULT_RETRY_SCHEDULE_SECONDS);
    expect(() => retrySchedule("1,x")).toThrow(/retry schedule/);
  });

  it("retries network errors, 5xx, 408, 409, 429 and not other 4xx or 3xx", () => {
    for (const code of [500, 502, 503, 408, 409, 429]) expect(isRetryable({ statusCode: code })).toBe(true);
    for (const code of [400, 401, 403, 404, 410, 422, 301, 302])
      expect(isRetryable({ statusCode: code })).toBe(false);
    expect(isRetryable({ error: "timeout" })).toBe(true);
  });

  it("jitters each wait by ±20 %", () => {
    const at = (r: number) =>
      nextAttemptAt({
        outcome: { statusCode: 503 },
        attemptsInCycle: 2,
        schedule: [5, 300],
        now,
        random: () => r,
      });
    expect(at(0)?.getTime()).toBe(now.getTime() + 240_000);
    expect(at(0.999_999)?.getTime()).toBeCloseTo(now.getTime() + 360_000, -2);
    expect(at(0.5)?.getTime()).toBe(now.getTime() + 300_000);
  });

  it("honours Retry-After (seconds or HTTP date) when later, capped at 24 hours", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs(new Date(now.getTime() + 60_000).toUTCString(), now)).toBe(60_000);
    expect(retryAfterMs("999999", now)).toBe(24 * 3600 * 1000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    const next = nextAttemptAt({
      outcome: { statusCode: 429, retryAfter: "600" },
      attemptsInCycle: 1,
      schedule: [5],
      now,
      random: () => 0.5,
    });
    expect(next?.getTime()).toBe(now.getTime() + 600_000);
    const earlier = nextAttemptAt({
      outcome: { statusCode: 503, retryAfter: "1" },
      attemptsInCycle: 1,
      schedule: [5],
      now,
      random: () => 0.5,
    });
    expect(earlier?.getTime()).toBe(now.getTime() + 5_000);
  });

  it("stops when the schedule is exhausted", () => {
    expect(
      nextAttemptAt({ outcome: { statusCode: 503 }, attemptsInCycle: 3, schedule: [1, 1], now }),
    ).toBeUndefined();
  });
});

describe("the delivery log", () => {
  it("uses one deterministic id per subscription and event", () => {
    expect(deliveryIdFor(subscriptionId, "evt-1")).toBe(deliveryIdFor(subscriptionId, "evt-1"));
    expect(deliveryIdFor(subscriptionId, "evt-1")).not.toBe(deliveryIdFor(subscriptionId, "evt-2"));
    expect(deliveryIdFor(subscriptionId, "evt-1")).toMatch(/^dlv_[0-9a-z]{26}$/);
  });

  it("goes pending, then failed and exhausted after the schedule; delivered on 2xx", () => {
    let d = delivery();
    const schedule = [1, 1];
    for (let i = 0; i < 2; i++) {
      const r = afterAttempt({ delivery: d, outcome: { statusCode: 503 }, latencyMs: 3, schedule, now });
      expect(r.delivery.status).toBe("pending");
      expect(r.exhausted).toBe(false);
      d = r.delivery;
    }
    const last = afterAttempt({ delivery: d, outcome: { statusCode: 503 }, latencyMs: 3, schedule, now });
    expect(last.delivery.status).toBe("failed");
    expect(last.exhausted).toBe(true);
    expect(last.delivery.attemptCount).toBe(3);
    expect(last.delivery.nextAttemptAt).toBeUndefined();
    const ok = afterAttempt({
      delivery: startCycle(last.delivery, now),
      outcome: { statusCode: 204 },
      latencyMs: 3,
      schedule,
      now,
    });
    expect(ok.delivery.status).toBe("delivered");
    expect(ok.delivery.cycleAttempts).toBe(1);
    expect(ok.delivery.deliveryId).toBe(d.deliveryId);
  });

  it("fails at once on a 400 without exhausting", () => {
    const r = afterAttempt({
      delivery: delivery(),
      outcome: { statusCode: 400 },
      latencyMs: 1,
      schedule: [1],
      now,
    });
    expect(r.delivery.status).toBe("failed");
    expect(r.exhausted).toBe(false);
  });

  it("keeps the newest attempts, a count, and a 1 KB excerpt", () => {
    let d = delivery();
    const schedule = Array.from({ length: 30 }, () => 1);
    for (let i = 0; i < 25; i++) {
      d = afterAttempt({
        delivery: d,
        outcome: { statusCode: 500 + (i % 5) },
        latencyMs: i,
        responseBody: "é".repeat(2000),
        schedule,
        now,
      }).delivery;
    }
    expect(d.attemptCount).toBe(25);
    expect(d.attempts).toHaveLength(MAX_LOGGED_ATTEMPTS);
    expect(d.attempts[0]?.latencyMs).toBe(24);
    expect(Buffer.byteLength(d.attempts[0]?.responseExcerpt ?? "")).toBeLessThanOrEqual(
      RESPONSE_EXCERPT_BYTES,
    );
    expect(responseExcerpt("short")).toBe("short");
    expect(() => DeliverySchema.parse(d)).not.toThrow();
  });
});
