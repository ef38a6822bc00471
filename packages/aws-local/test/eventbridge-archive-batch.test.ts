import { describe, expect, it } from "vitest";
import {
  archiveBatchItems,
  batchMembers,
  deliveredInBatch,
  releasedBatch,
} from "../src/eventbridge/archive-batch.js";
import type { Bus } from "../src/eventbridge/bus.js";
import { deliveredItem, newDelivery } from "../src/eventbridge/delivery-record.js";
import type { EventEnvelope } from "../src/eventbridge/types.js";

const bus: Bus = {
  name: "b",
  arn: "arn:aws:events:us-east-1:000000000000:event-bus/b",
  archiveRetentionDays: 1,
  rules: [],
};
const now = Date.parse("2026-11-30T12:00:00.000Z");

const event = (n: number, detailChars: number): EventEnvelope => ({
  version: "0",
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  "detail-type": "T",
  source: "s",
  account: "000000000000",
  time: "2026-11-30T12:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: { n, text: "x".repeat(detailChars) },
});

const call = (count: number, detailChars: number) => ({
  events: Array.from({ length: count }, (_, n) => {
    const envelope = event(n, detailChars);
    const deliveries = [0, 1].map((targetIndex) =>
      newDelivery({
        envelope,
        bus: bus.name,
        rule: "r",
        targetIndex,
        target: {
          kind: "function",
          function: "f",
          retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 60 },
        },
        retentionDays: 1,
        now,
      }),
    );
    return { eventId: envelope.id, event: deliveries[0]?.event ?? "", deliveries };
  }),
});

describe("archive batches", () => {
  it("keeps a call's events and deliveries in one item, each event stored once, and gives them back whole", () => {
    const input = call(10, 100);
    const [batch, ...rest] = archiveBatchItems(bus, input, now);
    expect(rest).toEqual([]);
    expect(batch?.item.events).toEqual(input.events.map((e) => e.event));
    expect(batch?.item.deliveries).not.toContain('"event"');
    expect(batch?.item).toMatchObject({ gsi1pk: "EB#DUE", status: "pending", dueAt: now });
    const members = batchMembers(batch?.item ?? ({} as never));
    expect(members).toEqual(input.events.flatMap((e) => e.deliveries));
    expect(releasedBatch(batch?.item ?? ({} as never))).toEqual({
      pk: batch?.item.pk,
      sk: batch?.item.sk,
      kind: "eb-archive-batch",
      bus: "b",
      receivedAt: now,
      events: batch?.item.events,
      expiresAt: batch?.item.expiresAt,
    });
  });

  it("keeps the records of its delivered deliveries on release, each event still stored once", () => {
    const input = call(3, 100);
    const [batch] = archiveBatchItems(bus, input, now);
    const delivered = batchMembers(batch?.item ?? ({} as never)).map((m) => deliveredItem(m, now + 5));
    const released = releasedBatch(batch?.item ?? ({} as never), delivered);
    expect(released).not.toHaveProperty("gsi1pk");
    expect(released.delivered).not.toContain('"event"');
    const second = input.events[1];
    expect(deliveredInBatch(released, second?.eventId ?? "")).toEqual(
      delivered.filter((d) => d.eventId === second?.eventId),
    );
    expect(deliveredInBatch(released, "not-an-event-of-the-batch")).toEqual([]);
  });

  it("splits a call too big for one item, every event in exactly one item, even once released with its records", () => {
    const input = call(10, 60_000);
    const batches = archiveBatchItems(bus, input, now);
    expect(batches.length).toBeGreaterThan(1);
    for (const { item } of batches) {
      expect(JSON.stringify(item).length).toBeLessThan(350_000);
      const delivered = batchMembers(item).map((m) => deliveredItem(m, now + 5));
      expect(JSON.stringify(releasedBatch(item, delivered)).length).toBeLessThan(350_000);
    }
    expect(batches.flatMap(({ item }) => item.events)).toEqual(input.events.map((e) => e.event));
    expect(new Set(batches.map(({ item }) => item.sk)).size).toBe(batches.length);
  });
});
