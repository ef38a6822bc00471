import type { UsageTotals } from "./ports.js";
import type { UsageRecord } from "./schema.js";

// Pure arithmetic of the credit burn-down: integer cents throughout, so totals stay exact.

/** What a record adds to the award's consumption: charges and debits add, refunds subtract. */
export const deltaOf = (record: UsageRecord): number => {
  if (record.type === "compute") return record.chargeCents;
  return record.kind === "debit" ? record.amountCents : -record.amountCents;
};

/** The UTC day a record counts on: a compute record's start; an adjustment's arrival. */
export const dayOf = (record: UsageRecord, receivedAt: string): string =>
  (record.type === "compute" ? new Date(record.startedAt) : new Date(receivedAt)).toISOString().slice(0, 10);

/** Thresholds (percent) reached by `consumed` out of `credits`; compared in integers, no rounding. */
export const thresholdsReached = (
  consumedCents: number,
  creditsCents: number,
  thresholds: readonly number[],
) => (consumedCents <= 0 ? [] : thresholds.filter((t) => consumedCents * 100 >= t * creditsCents));

export const percentUsed = (consumedCents: number, creditsCents: number) => {
  if (creditsCents <= 0) return consumedCents > 0 ? 100 : 0;
  return Math.round((consumedCents * 10_000) / creditsCents) / 100;
};

const DAY_MS = 86_400_000;
export const FORECAST_WINDOW_DAYS = 7;

/**
 * The recent burn rate: the net charges of the last `window` days (today included), divided by
 * the days in that window since usage began (a new award is not diluted by days before it).
 * Exhaustion is forecast linearly from the remaining credits; null when nothing burns; now
 * when nothing remains.
 */
export const forecast = (
  byDay: UsageTotals["byDay"],
  remainingCents: number,
  now: Date,
  window = FORECAST_WINDOW_DAYS,
): { burnRateCentsPerDay: number; exhaustsAt: string | null } => {
  const today = Date.parse(now.toISOString().slice(0, 10));
  const first = byDay.reduce((min, d) => Math.min(min, Date.parse(d.day)), Number.POSITIVE_INFINITY);
  const since = today - (window - 1) * DAY_MS;
  const recent = byDay.filter((d) => {
    const t = Date.parse(d.day);
    return t >= since && t <= today;
  });
  const days = Number.isFinite(first)
    ? Math.max(1, Math.min(window, (today - Math.max(first, since)) / DAY_MS + 1))
    : window;
  const burned = recent.reduce((s, d) => s + d.chargeCents, 0);
  const burnRateCentsPerDay = Math.max(0, Math.round(burned / days));
  if (remainingCents <= 0) return { burnRateCentsPerDay, exhaustsAt: now.toISOString() };
  if (burnRateCentsPerDay <= 0) return { burnRateCentsPerDay, exhaustsAt: null };
  return {
    burnRateCentsPerDay,
    exhaustsAt: new Date(now.getTime() + (remainingCents / burnRateCentsPerDay) * DAY_MS).toISOString(),
  };
};
