// Backfill: a program office replays a month of one partner's usage after an outage. The records
// lie over the past `days` days, in time order as a replay sends them, on an award active since
// before them, and go through `POST /usage` like live usage; progress is reported as it goes.

import type { BatchWriteOptions } from "./dynamodb-baseline.js";
import { type IngestionResult, measureIngestion, type Progress } from "./ingestion.js";
import { num } from "./stats.js";
import { makeRecords } from "./usage-records.js";
import { activeAward, backdateAward, bracketedByBaseline, type UsageRuntime } from "./usage-runtime.js";

export interface BackfillOptions {
  /** Records sent, duplicates included. */
  records: number;
  /** The share of `records` that repeat another (a replay overlaps what had arrived before). */
  duplicateShare: number;
  /** How far back the records go. */
  days: number;
  batchSize: number;
  concurrency: number;
  pollMs: number;
  /** Progress is reported each time another 1 / progressSteps of the records is answered. */
  progressSteps: number;
  /** A backfill not finished this long after its first send fails the bench. */
  deadlineMs: number;
  baseline: BatchWriteOptions;
}

const DAY_MS = 86_400_000;
/** The newest record ends this long ago: a replay of the past, not of the last minutes. */
const NEWEST_AGO_MS = 10 * 60_000;

export const backfillRun = async (
  usage: UsageRuntime,
  options: BackfillOptions,
  report: (progress: Progress) => void,
  log: (text: string) => void,
): Promise<IngestionResult> => {
  const setup = performance.now();
  const { awardId } = await activeAward(usage.runtime);
  // A day more than the records span, so that the oldest lies well after the activation.
  await backdateAward(usage.runtime, awardId, options.days + 1);
  log(
    `award ${awardId} active since ${options.days + 1} days (${num((performance.now() - setup) / 1000)} s)`,
  );
  const now = Date.now();
  const records = makeRecords(
    awardId,
    { from: now - options.days * DAY_MS, to: now - NEWEST_AGO_MS },
    options.records,
    options.duplicateShare,
    "chronological",
  );
  const { result, baseline } = await bracketedByBaseline(
    usage.runtime,
    options.baseline,
    () =>
      measureIngestion({ meter: usage.meter, staff: usage.staff, awardId }, records, {
        ...options,
        deadline: performance.now() + options.deadlineMs,
        progress: { steps: options.progressSteps, report },
      }),
    log,
  );
  return { ...result, baseline };
};
