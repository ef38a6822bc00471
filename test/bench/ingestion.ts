// Usage ingestion through the whole local system (`npm start` as a child process): records sent
// to `POST /usage` in batches until `GET /awards/{id}/usage` shows them all in the award's
// balance, compared with raw BatchWriteItem on the same DynamoDB Local measured around it. Each
// run has a fresh award on the one runtime that all runs share (see run.ts for why).
import { sleep } from "../../packages/aws-local/src/eventbridge/limit.js";
import type { BatchWriteOptions } from "./dynamodb-baseline.js";
import { num } from "./stats.js";
import { type ComputeRecord, makeRecords } from "./usage-records.js";
import {
  activeAward,
  type BracketingBaseline,
  bracketedByBaseline,
  type Call,
  type UsageRuntime,
} from "./usage-runtime.js";

export interface IngestionOptions {
  /** Records sent, duplicates included. */
  records: number;
  /** The share of `records` that repeat an earlier record (same recordId, same payload). */
  duplicateShare: number;
  /** Records per `POST /usage` (the API's maximum is 1,000). */
  batchSize: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** How often the award's usage is read while sending and after. */
  pollMs: number;
  /** A run not finished this long after its first send fails the bench. */
  deadlineMs: number;
  /** Raw BatchWriteItem on the runtime's DynamoDB Local, into a scratch table. */
  baseline: BatchWriteOptions;
}

export interface Progress {
  /** Records answered with a 202 so far (duplicates included), of `total`. */
  sent: number;
  total: number;
  ms: number;
  /** Distinct accepted records per second since the first send. */
  recordsPerSecond: number;
  /** The award's consumedCents at the latest reading, if any yet. */
  balanceCents: number | undefined;
}

export interface SendOptions {
  batchSize: number;
  concurrency: number;
  pollMs: number;
  /** A `performance.now()` time: a batch unsent or a balance not reached by then fails the run. */
  deadline: number;
  /** `report` is called each time another `1 / steps` of the records has been answered. */
  progress?: { steps: number; report: (progress: Progress) => void };
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  batches: number;
}

export interface IngestionResult {
  sent: number;
  batches: number;
  /** Distinct record ids accepted at least once. */
  distinct: number;
  /** Records sent again with the same id and payload. */
  duplicatesSent: number;
  rejected: number;
  rejectedReasons: string[];
  /** Batches sent again after a 5xx, with the status each got. */
  retried: number[];
  /** From the first send to the balance showing every accepted record. */
  ms: number;
  recordsPerSecond: number;
  /** Raw BatchWriteItem on the same DynamoDB Local, half just before the run and half just after. */
  baseline: BracketingBaseline;
  /** The sum of the distinct accepted records' charges, and what the award's usage shows. */
  expectedCents: number;
  consumedCents: number;
  /** From a batch's 202 to the first poll whose balance covers it (see `latencies`). */
  latencyMs: Latency;
  /** From a full batch's first send to its 202 (resends after a 5xx included). */
  acceptMs: Latency;
  /** Every full batch's time to its 202, for figures over several runs. */
  acceptSamples: number[];
  polls: number;
}

export interface Target {
  /** Calls as an integration (POST /usage). */
  meter: Call;
  /** Calls as staff (GET /awards/{id}/usage). */
  staff: Call;
  awardId: string;
}

/** Sends of one batch at most, when it fails with a 5xx. */
const MAX_SENDS = 3;
/** Sends of one batch at most while the API answers 503 (stored part of it; send it again). */
const MAX_SENDS_WHILE_503 = 8;

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);

/** p50, p99 and max of latency samples (any order), and how many there were. */
export const latencySummary = (samples: readonly number[]): Latency => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    batches: sorted.length,
  };
};

/**
 * Sends every record, then waits for the award's balance to show exactly the distinct accepted
 * charges. Throws when the balance goes past them (a record counted twice, or a rejected one
 * counted), and when a batch is still unsent or the balance not there by `options.deadline`: a
 * slow pipeline fails the run loudly rather than being measured on fewer records.
 */
export const measureIngestion = async (
  target: Target,
  records: readonly ComputeRecord[],
  options: SendOptions,
): Promise<Omit<IngestionResult, "baseline">> => {
  const { deadline } = options;
  const batches: ComputeRecord[][] = [];
  for (let i = 0; i < records.length; i += options.batchSize)
    batches.push(records.slice(i, i + options.batchSize));
  const usagePath = `/awards/${encodeURIComponent(target.awardId)}/usage`;

  // What has been sent (an upper bound for the balance at any instant) and what was accepted, in
  // the order of the 202s: `acceptances[k].cumulativeCents` is the charge of every distinct
  // record first accepted in batches 1..k of that order.
  const started = new Set<string>();
  let startedCents = 0;
  const acceptedIds = new Set<string>();
  let acceptedCents = 0;
  const acceptances: Array<{ at: number; cumulativeCents: number }> = [];
  const acceptMs: number[] = [];
  let sent = 0;
  let rejected = 0;
  const rejectedReasons = new Set<string>();
  let duplicatesSent = 0;
  /** The statuses of the calls that failed with a 5xx and were sent again. */
  const retried: number[] = [];
  let sending = true;

  const polls: Array<{ at: number; consumed: number }> = [];
  let lastPollError: string | undefined;
  let failure: Error | undefined;

  const first = performance.now();
  let progressMark = 1;
  const reportProgress = () => {
    if (!options.progress) return;
    const { steps, report } = options.progress;
    if (sent < (progressMark * records.length) / steps) return;
    while (sent >= (progressMark * records.length) / steps) progressMark++;
    const ms = performance.now() - first;
    report({
      sent,
      total: records.length,
      ms,
      recordsPerSecond: (acceptedIds.size / ms) * 1000,
      balanceCents: polls.at(-1)?.consumed,
    });
  };

  const sender = async () => {
    let next = 0;
    const worker = async () => {
      while (next < batches.length && failure === undefined) {
        if (performance.now() > deadline) {
          throw new Error(
            `deadline: ${num(sent)} of ${num(records.length)} records sent after ${num((performance.now() - first) / 1000)} s`,
          );
        }
        const batch = batches[next++] as ComputeRecord[];
        for (const r of batch) {
          if (started.has(r.recordId)) duplicatesSent++;
          else {
            started.add(r.recordId);
            startedCents += r.chargeCents;
          }
        }
        // A 5xx is sent again whole, as an integration would: the records already stored are then
        // duplicates, counted once. A 503 (the store took part of the batch within its time
        // budget) asks for exactly that, and each send stores more, so it may take a few more.
        const sentAt = performance.now();
        let answer = await target.meter("POST", "/usage", { records: batch });
        for (
          let attempt = 1;
          answer.status >= 500 && attempt < (answer.status === 503 ? MAX_SENDS_WHILE_503 : MAX_SENDS);
          attempt++
        ) {
          retried.push(answer.status);
          answer = await target.meter("POST", "/usage", { records: batch });
        }
        const at = performance.now();
        if (batch.length === options.batchSize) acceptMs.push(at - sentAt);
        if (answer.status !== 202) {
          throw new Error(`POST /usage → ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
        }
        const refused = new Set<number>();
        for (const r of (answer.body?.rejected ?? []) as Array<{ index: number; reasons?: unknown }>) {
          refused.add(r.index);
          rejectedReasons.add(JSON.stringify(r.reasons ?? "").slice(0, 200));
        }
        rejected += refused.size;
        sent += batch.length;
        batch.forEach((r, index) => {
          if (refused.has(index) || acceptedIds.has(r.recordId)) return;
          acceptedIds.add(r.recordId);
          acceptedCents += r.chargeCents;
        });
        acceptances.push({ at, cumulativeCents: acceptedCents });
        reportProgress();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(options.concurrency, batches.length) }, worker));
    } finally {
      sending = false;
    }
  };

  const poller = async (): Promise<number> => {
    while (true) {
      if (failure) throw failure;
      const asked = performance.now();
      if (asked > deadline) {
        const last = polls.at(-1)?.consumed;
        throw new Error(
          `the balance did not reach the accepted records in time: consumedCents ${last ?? "never read"}, ` +
            `expected ${acceptedCents}${sending ? " (still sending)" : ""}` +
            (lastPollError ? `; last reading failed: ${lastPollError}` : ""),
        );
      }
      const answer = await target.staff("GET", usagePath);
      // The balance is as it was somewhere between the question and the answer; the answer's
      // arrival is taken, which errs on the side of longer latencies (by one round trip at most).
      const at = performance.now();
      const consumed = answer.body?.consumedCents;
      if (answer.status === 200 && typeof consumed === "number") {
        polls.push({ at, consumed });
        if (consumed > startedCents) {
          throw new Error(
            `overshoot: consumedCents ${consumed} exceeds ${startedCents}, the charges of every distinct record sent so far`,
          );
        }
        if (!sending) {
          if (consumed > acceptedCents) {
            throw new Error(
              `overshoot: consumedCents ${consumed} exceeds ${acceptedCents}, the charges of the distinct accepted records`,
            );
          }
          if (consumed === acceptedCents) return at;
        }
      } else {
        lastPollError = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      }
      await sleep(Math.max(0, asked + options.pollMs - performance.now()));
    }
  };

  // Whichever fails first is the story, and it stops the other one.
  const stopOnFailure = (error: Error) => {
    failure ??= error;
    throw error;
  };
  const [, doneAt] = await Promise.all([sender().catch(stopOnFailure), poller().catch(stopOnFailure)]);
  const ms = doneAt - first;

  // Latency from acceptance to balance: batch k (in the order of the 202s) is taken as in the
  // balance at the first poll, answered after its 202, whose consumedCents reaches the
  // cumulative charge of batches 1..k. This is an approximation: the pipeline does not process
  // in acceptance order (batches are in flight together, the stream has several shards, and a
  // batch's records may be processed before its 202 arrives), so a balance that reaches the sum
  // may still owe part of batch k while already counting part of batch k+1. It is exact when
  // processing keeps acceptance order, up to the poll interval (pollMs) and one round trip; the
  // last batch's figure is exact in any case (the balance then equals the sum). It is per
  // batch, not per record: a batch counts as in when all of it can be.
  const latencies: number[] = [];
  let p = 0;
  for (const acceptance of acceptances) {
    while (p < polls.length) {
      const poll = polls[p] as { at: number; consumed: number };
      if (poll.at >= acceptance.at && poll.consumed >= acceptance.cumulativeCents) break;
      p++;
    }
    const poll = polls[p] ?? { at: doneAt };
    latencies.push(poll.at - acceptance.at);
  }
  latencies.sort((a, b) => a - b);
  acceptMs.sort((a, b) => a - b);

  return {
    sent,
    batches: acceptances.length,
    distinct: acceptedIds.size,
    duplicatesSent,
    rejected,
    rejectedReasons: [...rejectedReasons].slice(0, 5),
    retried,
    ms,
    recordsPerSecond: (acceptedIds.size / ms) * 1000,
    expectedCents: acceptedCents,
    consumedCents: polls.at(-1)?.consumed ?? 0,
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.NaN,
      batches: latencies.length,
    },
    acceptMs: latencySummary(acceptMs),
    acceptSamples: acceptMs,
    polls: polls.length,
  };
};

/**
 * One run: a fresh award, then every record sent, shuffled, to the award's balance, between the
 * two halves of the baseline on the runtime's DynamoDB Local.
 */
export const ingestionRun = async (
  usage: UsageRuntime,
  options: IngestionOptions,
  log: (text: string) => void,
): Promise<IngestionResult> => {
  const setup = performance.now();
  const { awardId, startsAt } = await activeAward(usage.runtime);
  log(`award ${awardId} active (${num((performance.now() - setup) / 1000)} s)`);
  // Records lie between the award's start and now; make sure that is at least a few seconds.
  await sleep(Math.max(0, startsAt + 3_000 - Date.now()));
  const records = makeRecords(
    awardId,
    { from: startsAt, to: Date.now() },
    options.records,
    options.duplicateShare,
  );
  const { result, baseline } = await bracketedByBaseline(
    usage.runtime,
    options.baseline,
    () =>
      measureIngestion({ meter: usage.meter, staff: usage.staff, awardId }, records, {
        ...options,
        deadline: performance.now() + options.deadlineMs,
      }),
    log,
  );
  return { ...result, baseline };
};
