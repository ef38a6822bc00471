import type { ComputeRecord } from "./schema.js";

const DAY_MS = 86_400_000;

/**
 * A compute record's chip-seconds on each UTC day it overlaps. Each day's share is rounded to a
 * whole chip-second (records carry whole seconds in practice, so this is exact for them).
 */
export const chipSecondsByDay = (record: Pick<ComputeRecord, "chips" | "startedAt" | "endedAt">) => {
  const out = new Map<string, number>();
  const start = Date.parse(record.startedAt);
  const end = Date.parse(record.endedAt);
  for (let dayStart = start - (start % DAY_MS); dayStart < end; dayStart += DAY_MS) {
    const ms = Math.min(end, dayStart + DAY_MS) - Math.max(start, dayStart);
    if (ms <= 0) continue;
    const day = new Date(dayStart).toISOString().slice(0, 10);
    out.set(day, (out.get(day) ?? 0) + Math.round((record.chips * ms) / 1000));
  }
  return out;
};
