// The compute records the usage benchmarks send: random sizes, exact duplicates, in either the
// shuffled order of a live cluster's many reporters or the time order of a replay.
import { randomUUID } from "node:crypto";
import { CENTS_PER_CHIP_HOUR } from "./usage-runtime.js";

export interface ComputeRecord {
  type: "compute";
  recordId: string;
  awardId: string;
  chips: number;
  startedAt: string;
  endedAt: string;
  chargeCents: number;
}

const randomInt = (below: number) => Math.floor(Math.random() * below);

/**
 * `count` records, of which `duplicateShare` repeat one of the others exactly. Each runs within
 * [from, to], 1–64 chips for 1–60 seconds. `shuffled` mixes them (duplicates anywhere);
 * `chronological` sorts them by start, as a replay of past usage sends them (a duplicate then
 * lies next to its original, often in the same batch).
 */
export const makeRecords = (
  awardId: string,
  window: { from: number; to: number },
  count: number,
  duplicateShare: number,
  order: "shuffled" | "chronological" = "shuffled",
): ComputeRecord[] => {
  const run = randomUUID().slice(0, 8);
  const distinctCount = Math.max(1, Math.round(count * (1 - duplicateShare)));
  const span = Math.max(1_000, window.to - window.from);
  const maxSeconds = Math.max(1, Math.min(60, Math.floor(span / 1_000)));
  const distinct = Array.from({ length: distinctCount }, (_, i): ComputeRecord => {
    const chips = 1 + randomInt(64);
    const seconds = 1 + randomInt(maxSeconds);
    const start = window.from + randomInt(Math.max(1, span - seconds * 1_000));
    return {
      type: "compute",
      recordId: `bench-${run}-${i}`,
      awardId,
      chips,
      startedAt: new Date(start).toISOString(),
      endedAt: new Date(start + seconds * 1_000).toISOString(),
      chargeCents: (chips * seconds * CENTS_PER_CHIP_HOUR) / 3_600,
    };
  });
  const all = [
    ...distinct,
    ...Array.from({ length: count - distinctCount }, () => ({ ...distinct[randomInt(distinctCount)] })),
  ] as ComputeRecord[];
  if (order === "chronological") return all.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (let i = all.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [all[i], all[j]] = [all[j] as ComputeRecord, all[i] as ComputeRecord];
  }
  return all;
};
