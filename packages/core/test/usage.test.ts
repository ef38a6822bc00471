import type { Award } from "@allot/core/award";
import {
  checkThresholds,
  checkUsage,
  deltaOf,
  forecast,
  ingestUsage,
  ingestUsageEvent,
  percentUsed,
  readUsage,
  thresholdsReached,
  UsageBatchUnfinished,
  type UsageDeps,
} from "@allot/core/usage";
import { describe, expect, it } from "vitest";
import { memoryUsage } from "./fakes.js";

const now = new Date("2026-06-10T12:00:00.000Z");
/** A minted award id: `awd_` and 26 letters or digits. */
const awd = (name: string) => `awd_${name.padStart(26, "0")}`;
const AWD = awd("1");
const award = (over: Partial<Award> = {}): Award =>
  ({
    awardId: AWD,
    programId: "prog",
    applicantId: "ana",
    creditsCents: 10_000,
    status: "active",
    startsAt: "2026-05-31T23:00:00.000Z",
    endsAt: "2027-06-01T00:00:00.000Z",
    history: [
      { at: "2026-05-31T23:00:00.000Z", status: "provisioning", actor: "ana", reason: "offer accepted" },
      { at: "2026-06-01T00:00:00.000Z", status: "active", actor: "system", reason: "credits provisioned" },
    ],
    revision: 1,
    ...over,
  }) as Award;

const depsWith = (awards: Award[]) => {
  const usage = memoryUsage();
  const deps: UsageDeps = {
    awards: {
      get: async (id) => awards.find((a) => a.awardId === id),
      getMany: async (ids) => awards.filter((a) => ids.includes(a.awardId)),
    },
    usage: usage.repo,
    clock: { now: () => now },
  };
  return { deps, usage };
};

const compute = (recordId: string, chargeCents: number, awardId = AWD, day = "2026-06-10") => ({
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
    const { deps, usage } = depsWith([award(), award({ awardId: awd("revoked"), status: "revoked" })]);
    const result = await ingestUsage(deps, [
      compute("r1", 100),
      { ...compute("r2", 100), endedAt: "2026-06-10T00:00:00Z" },
      compute("r3", 100, awd("unknown")),
      compute("r4", 100, awd("revoked")),
      { type: "compute", recordId: "r5" },
      "nonsense",
      {
        type: "adjustment",
        recordId: "r6",
        awardId: AWD,
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

describe("exactly-once counting and thresholds", () => {
  it("counts each record once at acceptance however often it is sent, and raises each threshold once", async () => {
    const { deps, usage } = depsWith([award()]);
    // One batch crosses 50, 80 and 95 at once: counted when it is accepted.
    expect(
      (await ingestUsage(deps, [compute("a", 4_000), compute("b", 5_600), compute("a", 4_000)])).accepted,
    ).toBe(3);
    expect((await deps.usage.totals(AWD)).consumedCents).toBe(9_600);
    const first = await checkUsage(deps, [AWD]);
    expect(first.raised).toEqual({ [AWD]: [50, 80, 95] });
    // The same batch sent again, and its records redelivered to the processor: nothing counted, nothing raised.
    expect((await ingestUsage(deps, [compute("b", 5_600), compute("a", 4_000)])).accepted).toBe(2);
    expect((await deps.usage.totals(AWD)).consumedCents).toBe(9_600);
    expect(await checkUsage(deps, [AWD, AWD])).toEqual({ raised: { [AWD]: [] } });
    await ingestUsage(deps, [compute("c", 400)]);
    await checkUsage(deps, [AWD]);
    expect(await checkThresholds(deps, AWD)).toEqual([]);
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
    const view = await readUsage(deps, { userId: "ana", role: "applicant" }, AWD);
    expect(view).toMatchObject({
      consumedCents: 10_000,
      remainingCents: 0,
      percentUsed: 100,
      thresholdsCrossed: [50, 80, 95, 100],
      byDay: [{ day: "2026-06-10", chargeCents: 10_000, records: 3 }],
    });
    await expect(readUsage(deps, { userId: "bob", role: "applicant" }, AWD)).rejects.toThrow(/not found/);
  });
});

describe("a record id names one charge", () => {
  it("accepts an identical resend once and refuses the id with other content, never overwriting", async () => {
    const other = awd("2");
    const { deps, usage } = depsWith([award(), award({ awardId: other })]);
    const first = compute("r-1", 100);
    expect(await ingestUsage(deps, [first])).toEqual({ accepted: 1, rejected: [] });
    // The same content, its times written another way: a harmless duplicate.
    const replay = { ...first, startedAt: "2026-06-10T01:00:00.000Z", endedAt: "2026-06-10T02:00:00+00:00" };
    const adjustment = {
      type: "adjustment" as const,
      recordId: "adj-1",
      awardId: AWD,
      kind: "refund" as const,
      amountCents: 10,
      reason: "node failure",
    };
    const result = await ingestUsage(deps, [
      replay,
      compute("r-1", 100, other),
      compute("r-1", 999),
      { ...first, chips: 9, chargeCents: 5 },
      adjustment,
      { ...adjustment, reason: "another reason" },
      { ...adjustment, kind: "debit" },
    ]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.recordId])).toEqual([
      [1, "r-1"],
      [2, "r-1"],
      [3, "r-1"],
      [5, "adj-1"],
      [6, "adj-1"],
    ]);
    const reasons = result.rejected.map((r) => r.reasons.join(" "));
    expect(reasons[0]).toMatch(/r-1 .*different awardId/);
    expect(reasons[1]).toMatch(/r-1 .*different chargeCents/);
    expect(reasons[2]).toMatch(/different chips, chargeCents/);
    expect(reasons[3]).toMatch(/adj-1 .*different reason/);
    expect(reasons[4]).toMatch(/different kind/);
    // What is stored is what was first received.
    expect(usage.stored.get("r-1")?.record).toEqual(first);
    expect(usage.stored.get("adj-1")?.record).toEqual(adjustment);
  });

  it("refuses a differing copy of an id within one batch, keeping the first", async () => {
    const { deps, usage } = depsWith([award()]);
    const result = await ingestUsage(deps, [compute("r-2", 100), compute("r-2", 100), compute("r-2", 200)]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => r.index)).toEqual([2]);
    expect(usage.stored.get("r-2")?.record).toEqual(compute("r-2", 100));
  });
});

describe("usage within the award's life", () => {
  const at = (startedAt: string, endedAt: string, recordId = `r-${startedAt}`) => ({
    ...compute(recordId, 100),
    startedAt,
    endedAt,
  });

  it("refuses records before the award became active, after its end, in the future or ending before they start", async () => {
    const { deps, usage } = depsWith([award({ endsAt: "2026-06-08T00:00:00.000Z" })]);
    const result = await ingestUsage(deps, [
      at("2023-01-01T00:00:00Z", "2023-01-01T01:00:00Z"),
      at("2026-05-31T23:50:00Z", "2026-06-01T01:00:00Z"),
      at("2026-06-07T23:00:00Z", "2026-06-08T01:00:00Z"),
      at("2026-06-03T02:00:00Z", "2026-06-03T01:00:00Z"),
      // Within the tolerated skew of the activation and of the end: accepted.
      at("2026-05-31T23:57:00Z", "2026-06-01T01:00:00Z"),
      at("2026-06-07T23:00:00Z", "2026-06-08T00:04:00Z"),
    ]);
    expect(result.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(result.rejected[0]?.reasons.join()).toMatch(
      /startedAt: .* before award .* became active \(2026-06-01/,
    );
    expect(result.rejected[1]?.reasons.join()).toMatch(/before award .* became active/);
    expect(result.rejected[2]?.reasons.join()).toMatch(/endedAt: .* after award .* ended \(2026-06-08/);
    expect(result.rejected[3]?.reasons.join()).toMatch(/endedAt: must be after startedAt/);
    expect(result.accepted).toBe(2);
    expect(usage.stored.size).toBe(2);
  });

  it("refuses records that end in the future beyond five minutes of clock skew", async () => {
    const { deps } = depsWith([award()]);
    const result = await ingestUsage(deps, [
      at("2026-06-10T11:00:00Z", "2026-06-10T12:04:00Z"),
      at("2026-06-10T11:00:00Z", "2026-06-10T12:06:00Z"),
      at("2057-01-01T00:00:00Z", "2057-01-01T01:00:00Z"),
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(result.rejected[0]?.reasons.join()).toMatch(/in the future .*5 minutes of clock skew/);
  });

  it("takes records of a closing award for usage before its closeout began, and refuses later usage", async () => {
    const closing = award({
      status: "closing",
      endsAt: "2026-12-01T00:00:00.000Z",
      history: [
        { at: "2026-06-01T00:00:00.000Z", status: "active", actor: "system", reason: "credits provisioned" },
        { at: "2026-06-09T00:00:00.000Z", status: "closing", actor: "allot", reason: "closeout: early" },
      ],
    });
    const { deps } = depsWith([closing]);
    const result = await ingestUsage(deps, [
      at("2026-06-08T20:00:00Z", "2026-06-08T21:00:00Z"),
      at("2026-06-09T01:00:00Z", "2026-06-09T02:00:00Z"),
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected.map((r) => r.index)).toEqual([1]);
    expect(result.rejected[0]?.reasons.join()).toMatch(/endedAt: .* after award .* ended \(2026-06-09/);
  });

  it("accepts late records of a closed award for 30 days after its end, then refuses them", async () => {
    const ended = award({
      status: "closed",
      endsAt: "2026-06-01T00:00:00.000Z",
      history: [
        { at: "2025-06-01T00:00:00.000Z", status: "active", actor: "system", reason: "credits provisioned" },
        { at: "2026-06-02T00:00:00.000Z", status: "closed", actor: "system", reason: "closeout" },
      ],
    });
    const late = at("2026-05-20T00:00:00Z", "2026-05-20T01:00:00Z");
    expect((await ingestUsage(depsWith([ended]).deps, [late])).accepted).toBe(1);
    const tooLate = depsWith([ended]).deps;
    tooLate.clock = { now: () => new Date("2026-07-01T00:00:01.000Z") };
    const result = await ingestUsage(tooLate, [late]);
    expect(result.accepted).toBe(0);
    expect(result.rejected[0]?.reasons.join()).toMatch(/ended at 2026-06-01.*until 2026-07-01.*30 days/);
  });
});

describe("bounded records", () => {
  it("refuses only the oversized records of a 1,000-record batch", async () => {
    const { deps, usage } = depsWith([award()]);
    const records: unknown[] = Array.from({ length: 1_000 }, (_, i) => compute(`b-${i}`, 1));
    records[10] = compute("b-10", 1, `awd_${"x".repeat(2_100)}`);
    records[20] = compute("x".repeat(200), 1);
    records[30] = {
      type: "adjustment",
      recordId: "b-30",
      awardId: AWD,
      kind: "debit",
      amountCents: 1,
      reason: "y".repeat(100_000),
    };
    records[40] = compute("b-40", 10 ** 15);
    records[50] = { ...compute("b-50", 1), chips: 10 ** 9 };
    records[60] = compute("b-60", 1, "not-an-award");
    const result = await ingestUsage(deps, records);
    expect(result.accepted).toBe(994);
    expect(result.rejected.map((r) => [r.index, r.recordId])).toEqual([
      [10, "b-10"],
      [20, undefined],
      [30, "b-30"],
      [40, "b-40"],
      [50, "b-50"],
      [60, "b-60"],
    ]);
    expect(result.rejected[0]?.reasons.join()).toMatch(/awardId: must be an award id/);
    expect(result.rejected[1]?.reasons.join()).toMatch(/recordId: must be at most 128 characters/);
    expect(result.rejected[2]?.reasons.join()).toMatch(/reason: must be at most 500 characters/);
    expect(result.rejected[3]?.reasons.join()).toMatch(/chargeCents: must be at most/);
    expect(result.rejected[4]?.reasons.join()).toMatch(/chips: must be at most/);
    expect(JSON.stringify(result).length).toBeLessThan(5_000);
    expect(usage.stored.size).toBe(994);
  });
});

describe("a batch the store cannot take in time", () => {
  it("is unfinished, with what was stored, and sent again it gets the whole answer", async () => {
    const { deps, usage } = depsWith([award()]);
    const batch = [
      compute("u-1", 10),
      compute("u-2", 20),
      compute("u-1", 10),
      compute("u-3", 30, AWD, "2026-06-11"),
    ];
    const unfinished = await ingestUsage(deps, batch, Date.now() - 1).catch((e: unknown) => e);
    expect(unfinished).toBeInstanceOf(UsageBatchUnfinished);
    expect(unfinished).toMatchObject({ stored: 0, pending: 2 });
    expect((unfinished as Error).message).toMatch(/send the same batch again/);
    const answer = await ingestUsage(deps, batch, Date.now() + 60_000);
    expect(answer.accepted).toBe(3);
    expect(answer.rejected.map((r) => r.index)).toEqual([3]);
    expect(await ingestUsage(deps, batch)).toEqual(answer);
    expect([...usage.stored.keys()].sort()).toEqual(["u-1", "u-2"]);
  });

  it("over the bus: unfinished reports nothing yet; finished, its refusals once, in one event", async () => {
    const { deps, usage } = depsWith([award()]);
    const batch = [
      compute("e-1", 10),
      compute("e-1", 11),
      { ...compute("e-2", 1), awardId: "x".repeat(2_100) },
    ];
    await expect(ingestUsageEvent(deps, "evt-1", batch, Date.now() - 1)).rejects.toBeInstanceOf(
      UsageBatchUnfinished,
    );
    expect(usage.outbox).toEqual([]);
    const result = await ingestUsageEvent(deps, "evt-1", batch);
    expect(result.accepted).toBe(1);
    expect(usage.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      ["Usage Records Rejected", { count: 2, recordIds: ["e-1", "e-2"] }],
    ]);
  });
});
