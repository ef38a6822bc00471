import type { StoredUsage, UsageRecord, UsageRepository } from "@allot/core/usage";
import { describe, expect, it } from "vitest";
import { event, freshId, type Published } from "./support.js";

export interface UsageSubject {
  usage: UsageRepository;
  published: Published;
}

const compute = (awardId: string, chargeCents: number, day = "2027-03-01"): StoredUsage => ({
  record: {
    type: "compute",
    recordId: freshId("rec"),
    awardId,
    chips: 8,
    startedAt: `${day}T01:00:00.000Z`,
    endedAt: `${day}T02:00:00.000Z`,
    chargeCents,
  } as UsageRecord,
  receivedAt: `${day}T03:00:00.000Z`,
});

/** The UsageRepository port's promises, for any implementation. */
export const usageRepositoryContract = (name: string, subject: () => Promise<UsageSubject>) =>
  describe(`UsageRepository contract: ${name}`, () => {
    it("stores each record id once, never overwriting, and answers what it holds per id", async () => {
      const { usage } = await subject();
      const awardId = freshId("awd");
      const a = compute(awardId, 100);
      const b = compute(awardId, 200);
      const held = await usage.store([a, b]);
      expect(Object.fromEntries(held)).toEqual({
        [a.record.recordId]: a.record,
        [b.record.recordId]: b.record,
      });
      const changed = { ...a, record: { ...a.record, chargeCents: 999 } as UsageRecord };
      const again = await usage.store([changed, b]);
      expect(again.get(a.record.recordId)).toEqual(a.record);
      expect(again.get(b.record.recordId)).toEqual(b.record);
    });

    it("starts no write past its deadline: the ids it did not store are missing from the answer", async () => {
      const { usage } = await subject();
      const r = compute(freshId("awd"), 100);
      expect((await usage.store([r], { until: Date.now() - 1 })).size).toBe(0);
      expect((await usage.totals(r.record.awardId)).consumedCents).toBe(0);
      expect((await usage.store([r])).get(r.record.recordId)).toEqual(r.record);
    });

    it("counts each record id once when it is stored, however often it is sent, with totals by day in day order", async () => {
      const { usage } = await subject();
      const awardId = freshId("awd");
      const later = compute(awardId, 300, "2027-03-02");
      const a = compute(awardId, 100);
      const b = compute(awardId, 200);
      await usage.store([later, a, a]);
      await usage.store([a, b]);
      expect(await usage.totals(awardId)).toEqual({
        consumedCents: 600,
        byDay: [
          { day: "2027-03-01", chargeCents: 300, records: 2 },
          { day: "2027-03-02", chargeCents: 300, records: 1 },
        ],
      });
      expect(await usage.totals(freshId("awd"))).toEqual({ consumedCents: 0, byDay: [] });
      expect(await usage.consumed(awardId)).toBe(600);
      expect(await usage.consumed(freshId("awd"))).toBe(0);
    });

    it("counts a record once when racing senders store it together", async () => {
      const { usage } = await subject();
      const awardId = freshId("awd");
      const records = Array.from({ length: 10 }, (_, i) => compute(awardId, 10 + i));
      const answers = await Promise.all([usage.store(records), usage.store([...records].reverse())]);
      for (const held of answers) expect(held.size).toBe(10);
      expect((await usage.totals(awardId)).consumedCents).toBe(
        records.reduce((s, r) => s + (r.record as { chargeCents: number }).chargeCents, 0),
      );
    });

    it("raises a threshold once, with its events, and says which candidates were raised", async () => {
      const { usage, published } = await subject();
      const awardId = freshId("awd");
      const first = event("crossed-80");
      const second = event("crossed-80-again");
      expect(await usage.raiseThreshold(awardId, 80, [first])).toBe(true);
      expect(await usage.raiseThreshold(awardId, 80, [second])).toBe(false);
      expect(await published(first.detail.eventId)).toBe(true);
      expect(await published(second.detail.eventId)).toBe(false);
      expect((await usage.thresholdsRaised(awardId, [50, 80, 95])).sort()).toEqual([80]);
      expect(await usage.thresholdsRaised(awardId, [])).toEqual([]);
    });

    it("publishes events with nothing else", async () => {
      const { usage, published } = await subject();
      const rejected = event("rejected");
      await usage.publish([rejected]);
      expect(await published(rejected.detail.eventId)).toBe(true);
    });
  });
