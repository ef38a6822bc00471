import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { ConcurrentModification } from "../src/errors.js";
import {
  attempt,
  type Delivery,
  type DeliveryDeps,
  type DeliveryRepository,
  type RuleEvent,
  receiveEvent,
  redeliver,
  releaseHeldDeliveries,
  retryDueDeliveries,
  type Subscription,
} from "../src/webhook/index.js";
import { memorySubscriptions } from "./webhook-fakes.js";

const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const subscriptionId = "sub_01jd3q0c5y8w2t6r4p9m7k1h3f";

const memoryDeliveries = () => {
  const items = new Map<string, Delivery>();
  const repo: DeliveryRepository = {
    async get(id) {
      const d = items.get(id);
      return d ? structuredClone(d) : undefined;
    },
    async createIfAbsent(d) {
      if (items.has(d.deliveryId)) return false;
      items.set(d.deliveryId, structuredClone(d));
      return true;
    },
    async update(d, expected) {
      if (items.get(d.deliveryId)?.revision !== expected) throw new ConcurrentModification(d.deliveryId);
      items.set(d.deliveryId, structuredClone(d));
    },
    async listBySubscription({ subscriptionId: id, status, limit }) {
      return {
        items: [...items.values()]
          .filter((d) => d.subscriptionId === id && (!status || d.status === status))
          .slice(0, limit),
      };
    },
    async due(now, limit) {
      return [...items.values()]
        .filter(
          (d) => d.status === "pending" && d.nextAttemptAt && Date.parse(d.nextAttemptAt) <= now.getTime(),
        )
        .sort((a, b) => ((a.nextAttemptAt ?? "") < (b.nextAttemptAt ?? "") ? -1 : 1))
        .slice(0, limit)
        .map((d) => structuredClone(d));
    },
    async held(id, limit) {
      return [...items.values()]
        .filter((d) => d.subscriptionId === id && d.status === "held")
        .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
        .slice(0, limit)
        .map((d) => structuredClone(d));
    },
  };
  return { repo, items };
};

const setup = (answers: number[], status: Subscription["status"] = "active") => {
  // The real time: standardwebhooks checks the signature timestamp against its own clock.
  let now = new Date();
  const clock = { now: () => now };
  const subs = memorySubscriptions();
  const deliveries = memoryDeliveries();
  const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  const deps: DeliveryDeps = {
    deliveries: deliveries.repo,
    subscriptions: subs.repo,
    clock,
    schedule: [1, 1, 2],
    random: () => 0.5,
    sender: {
      async send(url, headers, body) {
        sent.push({ url, headers, body });
        return { statusCode: answers.shift() ?? 204, latencyMs: 5, body: "ok" };
      },
    },
  };
  subs.items.set(subscriptionId, {
    subscriptionId,
    ownerId: "cli_billing",
    url: "https://hooks.example.com/in",
    pattern: { source: ["allot.awards"] },
    description: "",
    status,
    secrets: [{ secret, createdAt: now.toISOString() }],
    ruleName: `allot-webhook-${subscriptionId}`,
    createdAt: now.toISOString(),
    createdBy: "cli_billing",
    updatedAt: now.toISOString(),
    revision: 1,
  });
  const advance = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  return { deps, subs, deliveries, sent, advance };
};

const event = (eventId: string, replay?: string): RuleEvent => ({
  source: "allot.awards",
  "detail-type": "Award Activated",
  detail: { eventId, version: 1, occurredAt: "2026-11-30T11:59:00.000Z", data: { awardId: "awd_1" } },
  ...(replay ? { "replay-name": replay } : {}),
});

describe("webhook deliveries", () => {
  it("delivers at once, signed so standardwebhooks verifies it, with the delivery id as webhook-id", async () => {
    const { deps, sent } = setup([204]);
    const delivery = await receiveEvent(deps, subscriptionId, event("evt-1"));
    expect(delivery?.status).toBe("delivered");
    expect(sent).toHaveLength(1);
    const { headers, body } = sent[0] as (typeof sent)[number];
    expect(headers["webhook-id"]).toBe(delivery?.deliveryId);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({
      type: "Award Activated",
      eventId: "evt-1",
    });
  });

  it("retries 503 on the sweep and disables the subscription when the schedule is exhausted", async () => {
    const { deps, subs, deliveries, sent, advance } = setup([503, 503, 503, 503]);
    const observed: string[] = [];
    deps.onAttempted = (delivery) => observed.push(delivery.status);
    const first = await receiveEvent(deps, subscriptionId, event("evt-1"));
    expect(first?.status).toBe("pending");
    expect(await retryDueDeliveries(deps)).toBe(0); // not yet due
    for (const wait of [1, 1, 2]) {
      advance(wait);
      expect(await retryDueDeliveries(deps)).toBe(1);
    }
    const done = deliveries.items.get(first?.deliveryId ?? "");
    expect(sent).toHaveLength(4);
    expect(done?.status).toBe("failed");
    expect(done?.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 503]);
    expect(subs.items.get(subscriptionId)?.status).toBe("disabled");
    expect(subs.events.map((e) => e.detailType)).toContain("Webhook Subscription Disabled");
    // Every attempt is reported (the functions count the failed one as a business metric).
    expect(observed).toEqual(["pending", "pending", "pending", "failed"]);
  });

  it("does not retry a 400 nor disable", async () => {
    const { deps, subs, sent, advance } = setup([400]);
    expect((await receiveEvent(deps, subscriptionId, event("evt-1")))?.status).toBe("failed");
    advance(10);
    expect(await retryDueDeliveries(deps)).toBe(0);
    expect(sent).toHaveLength(1);
    expect(subs.items.get(subscriptionId)?.status).toBe("active");
  });

  it("holds while paused and releases in order on resume", async () => {
    const { deps, subs, sent, advance } = setup([], "paused");
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    advance(1);
    await receiveEvent(deps, subscriptionId, event("evt-2"));
    expect(sent).toHaveLength(0);
    const sub = subs.items.get(subscriptionId) as Subscription;
    subs.items.set(subscriptionId, { ...sub, status: "active" });
    expect(await releaseHeldDeliveries(deps, subscriptionId)).toBe(2);
    advance(1);
    expect(await retryDueDeliveries(deps)).toBe(2);
    expect(sent.map((s) => JSON.parse(s.body).eventId)).toEqual(["evt-1", "evt-2"]);
  });

  it("ignores a duplicate while pending; a replay or a redelivery sends again with the same webhook-id", async () => {
    const { deps, deliveries, sent } = setup([503]);
    const d = await receiveEvent(deps, subscriptionId, event("evt-1"));
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    expect(sent).toHaveLength(1);
    await receiveEvent(deps, subscriptionId, event("evt-1", "replay-1"));
    expect(sent).toHaveLength(2);
    const delivered = deliveries.items.get(d?.deliveryId ?? "") as Delivery;
    expect(delivered.status).toBe("delivered");
    await redeliver(deps, delivered);
    expect(sent.map((s) => s.headers["webhook-id"])).toEqual([d?.deliveryId, d?.deliveryId, d?.deliveryId]);
    expect(deliveries.items.get(d?.deliveryId ?? "")?.attemptCount).toBe(3);
  });

  it("sends a delivered event once however often the bus or a retried publisher repeats it, and each replay once", async () => {
    const { deps, deliveries, sent } = setup([204, 204, 204]);
    const d = await receiveEvent(deps, subscriptionId, event("evt-1"));
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    expect(sent).toHaveLength(1);
    await receiveEvent(deps, subscriptionId, event("evt-1", "replay-1"));
    await receiveEvent(deps, subscriptionId, event("evt-1", "replay-1"));
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    expect(sent).toHaveLength(2);
    await receiveEvent(deps, subscriptionId, event("evt-1", "replay-2"));
    expect(sent).toHaveLength(3);
    expect(deliveries.items.get(d?.deliveryId ?? "")?.attemptCount).toBe(3);
  });

  it("does not retry a failed delivery on a repeat of its event (a redelivery is asked for)", async () => {
    const { deps, sent } = setup([400, 204]);
    expect((await receiveEvent(deps, subscriptionId, event("evt-1")))?.status).toBe("failed");
    expect((await receiveEvent(deps, subscriptionId, event("evt-1")))?.status).toBe("failed");
    expect(sent).toHaveLength(1);
  });

  it("drains more than a page in one sweep, a few subscriptions at once, each in due order", async () => {
    const { deps, subs, sent, advance } = setup([], "paused");
    const base = subs.items.get(subscriptionId) as Subscription;
    const others = ["sub_01jd2x8q3m4n5p6r7s8t9v0w1x", "sub_01jd2x8q3m4n5p6r7s8t9v0w1y"];
    for (const id of others)
      subs.items.set(id, { ...base, subscriptionId: id, url: `https://hooks.example.com/${id}` });
    for (let i = 0; i < 250; i++) {
      await receiveEvent(deps, [subscriptionId, ...others][i % 3] as string, event(`evt-${i}`));
      advance(0.001);
    }
    expect(sent).toHaveLength(0);
    for (const id of [subscriptionId, ...others]) {
      subs.items.set(id, { ...(subs.items.get(id) as Subscription), status: "active" });
      await releaseHeldDeliveries(deps, id);
    }
    advance(1);
    expect(await retryDueDeliveries(deps, { limit: 40, inFlight: 3, until: Date.now() + 60_000 })).toBe(250);
    expect(sent).toHaveLength(250);
    for (const id of [subscriptionId, ...others]) {
      const order = sent
        .filter((s) => (id === subscriptionId ? s.url.endsWith("/in") : s.url.endsWith(id)))
        .map((s) => Number(JSON.parse(s.body).eventId.slice(4)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    // Without a deadline: one page.
    expect(await retryDueDeliveries(deps, { limit: 40 })).toBe(0);
  });

  it("never sends an event twice when the sweep runs while its first attempt is in flight", async () => {
    const { deps, sent } = setup([503, 204]);
    const send = deps.sender.send;
    let sweeps = 0;
    deps.sender = {
      async send(url, headers, body) {
        // The every-minute sweep, at the worst moment: the delivery exists, its attempt not yet logged.
        if (sweeps++ === 0) expect(await retryDueDeliveries(deps)).toBe(0);
        return send(url, headers, body);
      },
    };
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    expect(sent).toHaveLength(1);
    const delivered = await receiveEvent(deps, subscriptionId, event("evt-1", "replay-1"));
    expect(delivered?.status).toBe("delivered");
    expect(sent).toHaveLength(2);
  });

  it("claims a due delivery so a second sweep on a stale read does not send it", async () => {
    const { deps, deliveries, sent, advance } = setup([503, 204]);
    await receiveEvent(deps, subscriptionId, event("evt-1"));
    advance(2);
    const stale = await deliveries.repo.due(deps.clock.now(), 10);
    await retryDueDeliveries(deps);
    const staleDeps: DeliveryDeps = { ...deps, deliveries: { ...deliveries.repo, due: async () => stale } };
    expect(await retryDueDeliveries(staleDeps)).toBe(0);
    expect(sent).toHaveLength(2);
    expect(typeof attempt).toBe("function");
  });
});
