import type { Award } from "@allot/core/award";
import type { DomainEvent } from "@allot/core/events";
import {
  checkThresholds,
  dayOf,
  deltaOf,
  forecast,
  ingestUsage,
  percentUsed,
  processUsage,
  readUsage,
  type StoredUsage,
  thresholdsReached,
  type UsageDeps,
  type UsageRepository,
} from "@allot/core/usage";
import { describe, expect, it } from "vitest";

const now = new Date("2026-06-10T12:00:00.000Z");
const award = (over: Partial<Award> = {}): Award =>
  ({
    awardId: "awd_1",
    programId: "prog",
    applicantId: "ana",
    creditsCents: 10_000,
    status: "active",
    revision: 1,
    ...over,
  }) as Award;

/** The repository's contract in memory: markers make apply idempotent per record id. */
const fakeUsage = () => {
  const stored = new Map<string, StoredUsage>();
  const counted = new Set<string>();
  const totals = new Map<string, Map<string, { chargeCents: number; records: number }>>();
  const raised = new Set<string>();
  const outbox: DomainEvent[] = [];
  const repo: UsageRepository = {
    async store(records) {
      for (const r of records) stored.set(r.record.recordId, r);
    },
    async apply(awardId, records) {
      let c = 0;
      for (const r of records) {
        if (counted.has(r.record.recordId)) continue;
        counted.add(r.record.recordId);
        c++;
        const days = totals.get(awardId) ?? new Map();
        const day = dayOf(r.record, r.receivedAt);
        const d = days.get(day) ?? { chargeCents: 0, records: 0 };
        days.set(day, { chargeCents: d.chargeCents + deltaOf(r.record), records: d.records + 1 });
        totals.set(awardId, days);
      }
      return { counted: c, duplicates: records.length - c };
    },
    async totals(awardId) {
      const byDay = [...(totals.get(awardId) ?? new Map())].map(([day, d]) => ({ day, ...d }));
      return { consumedCents: byDay.reduce((s, d) => s + d.chargeCents, 0), byDay };
    },
    async thresholdsRaised(awardId, candidates) {
      return candidates.filter((t) => raised.has(`${awardId}:${t}`));
    },
    async raiseThreshold(awardId, threshold, events) {
      if (raised.has(`${awardId}:${threshold}`)) return false;
      raised.add(`${awardId}:${threshold}`);
      outbox.push(...events);
      return true;
    },
    async publish(events) {
      outbox.push(...events);
    },
  };
  return { repo, stored, outbox };
};

const depsWith = (awards: Award[]) => {
  const usage = fakeUsage();
  const deps: UsageDeps = {
    awards: { get: async (id) => awards.find((a) => a.awardId === id) },
    usage: usage.repo,
    clock: { now: () => now },
  };
  return { deps, usage };
};

const compute = (recordId: string, chargeCents: number, awardId = "awd_1", day = "2026-06-10") => ({
  type: "compute" as const,
  recordId,
  awardId,
  chips: 8,
  startedAt: `${day}T01:00:00Z`,
  endedAt: `${day}T02:00:00Z`,
  chargeCents,
});

describe("burn-down math", () => {
  it("nets charges, debits and refunds", () => {
    expect(deltaOf(compute("a", 120))).toBe(120);
    const adj = { type: "adjustment", recordId: "b", awardId: "x", amountCents: 30, reason: "r" } as const;
    expect(deltaOf({ ...adj, kind: "debit" })).toBe(30);
    expect(deltaOf({ ...adj, kind: "refund" })).toBe(-30);
  });

  it("reaches thresholds with integer comparisons, including several at once", () => {
    expect(thresholdsReached(0, 100, [50, 80, 95, 100])).toEqual([]);
    expect(thresholdsReached(49, 100, [50, 80, 95, 100])).toEqual([]);
    expect(thresholdsReached(96, 100, [50, 80, 95, 100])).toEqual([50, 80, 95]);
    expect(thresholdsReached(3, 3, [50, 80, 95, 100])).toEqual([50, 80, 95, 100]);
    // 1/3 of 10,000 is 3,333.33…: 3,333 is below 33.34 %, exactly.
    expect(percentUsed(3_333, 10_000)).toBe(33.33);
    expect(percentUsed(5, 0)).toBe(100);
  });

  it("forecasts exhaustion from the recent burn rate", () => {
    const byDay = [
      { day: "2026-05-01", chargeCents: 99_999, records: 1 },
      { day: "2026-06-09", chargeCents: 1_000, records: 1 },
      { day: "2026-06-10", chargeCents: 1_000, records: 1 },
    ];
    // The May spike is outside the 7-day window: 2,000 over 7 days.
    const f = forecast(byDay, 2_000 * 7, now);
    expect(f.burnRateCentsPerDay).toBe(286);
    expect(Date.parse(f.exhaustsAt ?? "")).toBeGreaterThan(now.getTime() + 48 * 86_400_000);
    // A new award is not diluted by days before its first use.
    expect(forecast(byDay.slice(1), 10_000, now)).toEqual({
      burnRateCentsPerDay: 1_000,
      exhaustsAt: new Date(now.getTime() + 10 * 86_400_000).toISOString(),
    });
    expect(forecast([], 10_000, now)).toEqual({ burnRateCentsPerDay: 0, exhaustsAt: null });
    expect(forecast(byDay, 0, now).exhaustsAt).toBe(now.toISOString());
  });
});

describe("usage ingestion", () => {
  it("judges each record on its own and reports every refusal with its reasons", async () => {
    const { deps, usage } = depsWith([award(), award({ awardId: "awd_revoked", status: "revoked" })]);
    const result = await ingestUsage(deps, [
      compute("r1", 100),
      { ...compute("r2", 100), endedAt: "2026-06-10T00:00:00Z" },
      compute("r3", 100, "awd_unknown"),
      compute("r4", 100, "awd_revoked"),
      { type: "compute", recordId: "r5" },
      "nonsense",
      {
        type: "adjustment",
        recordId: "r6",
        awardId: "awd_1",
        kind: "refund",
        amountCents: 10,
        reason: "node failure",
      },
      compute("r1", 100),
    ]);
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((r) => [r.index, r.recordId])).toEqual([
      [1, "r2"],
      [2, "r3"],
      [3, "r4"],
      [4, "r5"],
      [5, undefined],
    ]);
    expect(result.rejected[1]?.reasons[0]).toMatch(/unknown/);
    expect(result.rejected[2]?.reasons[0]).toMatch(/revoked/);
    expect(result.rejected[3]?.reasons.length).toBeGreaterThan(1);
    // The repeated r1 is stored once.
    expect([...usage.stored.keys()].sort()).toEqual(["r1", "r6"]);
  });
});

describe("exactly-once processing and thresholds", () => {
  it("counts each record once across redeliveries and raises each threshold once", async () => {
    const { deps, usage } = depsWith([award()]);
    const r = (id: string, cents: number) => ({ record: compute(id, cents), receivedAt: now.toISOString() });
    // One batch crosses 50, 80 and 95 at once.
    const first = await processUsage(deps, [r("a", 4_000), r("b", 5_600), r("a", 4_000)]);
    expect(first.counted).toBe(2);
    expect(first.raised).toEqual({ awd_1: [50, 80, 95] });
    // The same batch again (a stream retry): nothing counted, nothing raised.
    const again = await processUsage(deps, [r("b", 5_600), r("a", 4_000)]);
    expect(again).toMatchObject({ counted: 0, raised: { awd_1: [] } });
    await processUsage(deps, [r("c", 400)]);
    expect(await checkThresholds(deps, "awd_1")).toEqual([]);
    const kinds = usage.outbox.map(
      (e) => `${e.detailType}:${(e.detail.data as { threshold?: number }).threshold ?? ""}`,
    );
    expect(kinds).toEqual([
      "Credit Threshold Crossed:50",
      "Credit Threshold Crossed:80",
      "Credit Threshold Crossed:95",
      "Credit Threshold Crossed:100",
      "Credits Exhausted:",
    ]);
    const view = await readUsage(deps, { userId: "ana", role: "applicant" }, "awd_1");
    expect(view).toMatchObject({
      consumedCents: 10_000,
      remainingCents: 0,
      percentUsed: 100,
      thresholdsCrossed: [50, 80, 95, 100],
      byDay: [{ day: "2026-06-10", chargeCents: 10_000, records: 3 }],
    });
    await expect(readUsage(deps, { userId: "bob", role: "applicant" }, "awd_1")).rejects.toThrow(/not found/);
  });
});
