import { describe, expect, it } from "vitest";
import { latencySummary } from "./ingestion.js";
import { writeUnitsFormula, writeUnitsPerRecord } from "./usage-cost.js";
import { makeRecords } from "./usage-records.js";

const DAY_MS = 86_400_000;
const window = { from: Date.parse("2026-10-01T00:00:00Z"), to: Date.parse("2026-10-31T00:00:00Z") };

describe("the usage benchmarks' records", () => {
  it("repeats the duplicate share exactly, each copy identical to its original", () => {
    const records = makeRecords("awd_x", window, 2_000, 0.05);
    const byId = new Map<string, (typeof records)[number]>();
    let copies = 0;
    for (const r of records) {
      const first = byId.get(r.recordId);
      if (first) {
        copies++;
        expect(r).toEqual(first);
      } else byId.set(r.recordId, r);
    }
    expect(copies).toBe(100);
    expect(byId.size).toBe(1_900);
  });

  it("sends a replay in time order, spread over the whole window and inside it", () => {
    const records = makeRecords("awd_x", window, 3_000, 0, "chronological");
    const starts = records.map((r) => Date.parse(r.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(Math.min(...starts)).toBeLessThan(window.from + DAY_MS);
    expect(Math.max(...starts)).toBeGreaterThan(window.to - DAY_MS);
    expect(Math.max(...records.map((r) => Date.parse(r.endedAt)))).toBeLessThanOrEqual(window.to);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(window.from);
  });

  it("charges one cent per chip-second", () => {
    for (const r of makeRecords("awd_x", window, 200, 0)) {
      const seconds = (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000;
      expect(r.chargeCents).toBe(r.chips * seconds);
    }
  });
});

describe("the usage figures", () => {
  it("takes p50 and p99 of unsorted samples", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencySummary(samples)).toEqual({ p50: 50, p99: 99, max: 100, batches: 100 });
  });

  it("prices a full transaction of one day at the design's 2.06 write units, inputs printed", () => {
    expect(writeUnitsPerRecord()).toBeCloseTo(2 + 6 / 97, 9);
    expect(writeUnitsPerRecord({ recordsPerTransaction: 38, days: 30, usedDays: 30 })).toBeCloseTo(
      2 + 122 / 38,
      9,
    );
    expect(writeUnitsFormula()).toContain("k = 97 records per transaction, d = 1, u = 1: 2.062 WRU");
  });
});
