// Usage ingestion through the whole local system (`npm start` as a child process): records sent
// to `POST /usage` in batches, until `GET /awards/{id}/usage` shows them all in the award's
// balance, compared with raw BatchWriteItem on the same DynamoDB Local in the same run. It runs
// once, not per round: the runtime takes about ten seconds to start, and one run of 20,000
// records is already long enough to average out the machine's noise within it.
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localClientConfig } from "../../packages/aws-local/src/aws-config.js";
import { ensureTable } from "../../packages/aws-local/src/dynamodb/tables.js";
import { sleep } from "../../packages/aws-local/src/eventbridge/limit.js";
import { runtimeTable } from "../../packages/aws-local/test/support/dynamo.js";
import { streamSubscriptions } from "../../stacks/src/streams.js";
import {
  actAs,
  assignmentOf,
  ok,
  reply,
  rubricReview,
  submission,
  submit,
  waitForStatus,
} from "../support/allot.js";
import { api, type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";
import { type BatchWriteOptions, type BatchWriteResult, batchWriteBaseline } from "./dynamodb-baseline.js";
import { num } from "./stats.js";

export interface IngestionOptions {
  /** Records sent, duplicates included. */
  records: number;
  /** The share of `records` that repeat an earlier record (same recordId, same payload). */
  duplicateShare: number;
  /** Records per `POST /usage` (the API's maximum is 1,000). */
  batchSize: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** No batch starts later than this after the first one; a slow pipeline sends fewer records. */
  maxSendMs: number;
  /** The least time left for the balances to catch up once the last batch is accepted. */
  minSettleMs: number;
  /** How often the award's usage is read while waiting. */
  pollMs: number;
  /** Raw BatchWriteItem on the runtime's DynamoDB Local, into a scratch table. */
  baseline: BatchWriteOptions;
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
  /** Why fewer than `options.records` were sent, if they were. */
  cutShort?: string;
  /** From the first send to the balance showing every accepted record. */
  ms: number;
  recordsPerSecond: number;
  baseline: BatchWriteResult;
  /** The sum of the distinct accepted records' charges, and what the award's usage shows. */
  expectedCents: number;
  consumedCents: number;
  /** From a batch's 202 to the first poll whose balance covers it (see `latencies`). */
  latencyMs: { p50: number; p99: number; max: number; batches: number };
  /** From a full batch's first send to its 202 (resends after a 5xx included). */
  acceptMs: { p50: number; p99: number; max: number; batches: number };
  polls: number;
}

export type IngestionOutcome = { skipped: string } | IngestionResult;

// --- the write cost, from the design --------------------------------------------------------

// DynamoDB write request units per distinct record on AWS on-demand. The writes happen in the
// runtime's process, so they cannot be counted here (write-counter.ts wraps a client of this
// process); this follows the design in packages/adapters/src/dynamo/usage-repository.ts:
//  - the API stores each accepted record as one item (a conditional Put, ≤ 1 KB, in no index): 1;
//  - the stream processor writes its exactly-once marker (a conditional Put) in a transaction,
//    where each item costs double: 2;
//  - the same transaction adds the chunk to ONE counter shard's TOTAL and DAY#<day> items
//    (2 items × 2 = 4 units per transaction, records of one day), shared by the chunk's records.
//    A chunk holds at most 100 − 2 = 98 markers (TransactWriteItems' 100 items), so a stream
//    batch of `batchSize` records is ceil(batchSize / 98) transactions: 4 × that / batchSize.
// A duplicate sent again costs 1 more unit (its conditional Put is refused, which is billed;
// nothing is written, so the stream shows nothing) and nothing else.
const USAGE_BATCH = streamSubscriptions.find((s) => s.name === "usage")?.batchSize ?? 100;
const MARKERS_PER_TRANSACTION = 98;
const TRANSACTIONS_PER_STREAM_BATCH = Math.ceil(USAGE_BATCH / MARKERS_PER_TRANSACTION);

export const WRITE_MODEL: ReadonlyArray<{ what: string; units: number }> = [
  { what: "record item (conditional Put at acceptance)", units: 1 },
  { what: "exactly-once marker (Put in TransactWriteItems, 2 per item)", units: 2 },
  {
    what:
      `counter shard TOTAL + DAY (2 items × 2 units per transaction, ${TRANSACTIONS_PER_STREAM_BATCH} ` +
      `transaction(s) per full stream batch of ${USAGE_BATCH})`,
    units: (4 * TRANSACTIONS_PER_STREAM_BATCH) / USAGE_BATCH,
  },
];
/** US East (N. Virginia), on-demand, per million write request units. */
export const USD_PER_MILLION_WRU = 0.625;

export const writeUnitsPerRecord = () => WRITE_MODEL.reduce((sum, w) => sum + w.units, 0);

export const costLines = (): string[] => {
  const units = writeUnitsPerRecord();
  return [
    `write cost per distinct record (from the design, items ≤ 1 KB): ` +
      `${WRITE_MODEL.map((w) => `${num(w.units)} ${w.what}`).join(" + ")} = ${num(units)} WRU; ` +
      "+1 WRU per duplicate sent",
    `AWS on-demand cost per million records: ${num(units)} WRU × $${USD_PER_MILLION_WRU} per million WRU = ` +
      `$${(units * USD_PER_MILLION_WRU).toFixed(2)} (us-east-1; writes only: Lambda, API Gateway, ` +
      "reads and storage are extra; stream reads by Lambda are free)",
  ];
};

// --- the records --------------------------------------------------------------------------

interface ComputeRecord {
  type: "compute";
  recordId: string;
  awardId: string;
  chips: number;
  startedAt: string;
  endedAt: string;
  chargeCents: number;
}

/** One credit cent per chip-second: the program's rate, so every charge is consistent with it. */
const CENTS_PER_CHIP_HOUR = 3_600;
const AWARD_CREDITS_CENTS = 1_000_000_000_000;

const randomInt = (below: number) => Math.floor(Math.random() * below);

/**
 * `count` records, of which `duplicateShare` repeat one of the others exactly, shuffled. Each
 * runs within [from, to] (the award's active period up to now), 1–64 chips for 1–60 seconds.
 */
export const makeRecords = (
  awardId: string,
  window: { from: number; to: number },
  count: number,
  duplicateShare: number,
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
  for (let i = all.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [all[i], all[j]] = [all[j] as ComputeRecord, all[i] as ComputeRecord];
  }
  return all;
};

// --- the measurement, against any base URL ----------------------------------------------------

type Call = ReturnType<typeof api>;

export interface Target {
  /** Calls as an integration (POST /usage). */
  meter: Call;
  /** Calls as staff (GET /awards/{id}/usage). */
  staff: Call;
  awardId: string;
  /** Where the records may lie in time: the award's active period up to now. */
  window: { from: number; to: number };
}

/** Sends of one batch at most, when it fails with a 5xx. */
const MAX_SENDS = 3;
/** Sends of one batch at most while the API answers 503 (stored part of it; send it again). */
const MAX_SENDS_WHILE_503 = 8;

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);

/**
 * Sends the records, then waits for the award's balance to show exactly the distinct accepted
 * charges. Throws when the balance goes past them (a record counted twice, or a rejected one
 * counted) or when it does not get there by `deadline` (a `performance.now()` time).
 */
export const measureIngestion = async (
  target: Target,
  options: Omit<IngestionOptions, "baseline">,
  deadline: number,
): Promise<Omit<IngestionResult, "baseline">> => {
  const records = makeRecords(target.awardId, target.window, options.records, options.duplicateShare);
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
  let cutShort: string | undefined;
  let sending = true;

  const polls: Array<{ at: number; consumed: number }> = [];
  let lastPollError: string | undefined;
  let failure: Error | undefined;

  const first = performance.now();
  const sendUntil = Math.max(
    first + 5_000,
    Math.min(first + options.maxSendMs, deadline - options.minSettleMs),
  );
  let sendingEndedAt = Number.POSITIVE_INFINITY;
  /** The balance must be there by the deadline, and in any case get minSettleMs after the last send. */
  const settleBy = () => Math.max(deadline, sendingEndedAt + options.minSettleMs);

  /** How long the records sent so far would take to reach the balance at the recent pace. */
  const drainMsEstimate = () => {
    const last = polls.at(-1);
    if (!last) return Number.POSITIVE_INFINITY;
    const earlier = polls.find((poll) => poll.at >= last.at - 5_000) ?? last;
    const pace = (last.consumed - earlier.consumed) / Math.max(1, last.at - earlier.at);
    return pace > 0 ? (startedCents - last.consumed) / pace : Number.POSITIVE_INFINITY;
  };

  const sender = async () => {
    let next = 0;
    const worker = async () => {
      while (next < batches.length && failure === undefined && cutShort === undefined) {
        const now = performance.now();
        if (now > sendUntil) {
          cutShort = `time bound: no batch starts after ${num((sendUntil - first) / 1000)} s`;
          return;
        }
        // A pipeline much slower than the sender would otherwise leave a backlog that cannot
        // drain before the deadline: stop sending when it would take more than half the time left.
        if (now - first > 10_000 && drainMsEstimate() > Math.max(deadline - now, options.minSettleMs) / 2) {
          cutShort = `backlog bound: the balance lags by more than half the time left after ${num((now - first) / 1000)} s`;
          return;
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
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(options.concurrency, batches.length) }, worker));
    } finally {
      sending = false;
      sendingEndedAt = performance.now();
    }
  };

  const poller = async (): Promise<number> => {
    while (true) {
      if (failure) throw failure;
      const asked = performance.now();
      if (asked > settleBy()) {
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
    cutShort,
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
    acceptMs: {
      p50: percentile(acceptMs, 0.5),
      p99: percentile(acceptMs, 0.99),
      max: acceptMs.at(-1) ?? Number.NaN,
      batches: acceptMs.length,
    },
    polls: polls.length,
  };
};

// --- the runtime, the award and the baseline ------------------------------------------------

/** A program with a large credits pool, and an active award holding 10^12 cents of credits. */
export const activeAward = async (runtime: RuntimeProcess) => {
  const suffix = randomUUID().slice(0, 8);
  const programId = `bench-usage-${suffix}`;
  const callId = `bench-usage-call-${suffix}`;
  const reviewer = "bench-reviewer";
  const grantee = "bench-grantee";
  const staff = await actAs(runtime, "bench-staff", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId,
        name: "Usage ingestion benchmark",
        pools: { cashCents: 1_000_000, creditsCents: 2 * AWARD_CREDITS_CENTS },
        caps: {
          maxGrantCashCents: 1_000_000,
          maxGrantCreditsCents: AWARD_CREDITS_CENTS,
          maxPartnerCreditsCents: AWARD_CREDITS_CENTS,
        },
        cluster: { chips: 40_000 },
        creditRate: { centsPerChipHour: CENTS_PER_CHIP_HOUR },
        offerPeriod: "P1D",
      },
    }),
  );
  await ok(
    staff.PUT("/reviewers/{reviewerId}", {
      params: { path: { reviewerId: reviewer } },
      body: {
        name: "Bench Reviewer",
        email: "reviewer@bench-review.example",
        institution: "Bench Review Institute",
      },
    }),
  );
  const day = 86_400_000;
  await ok(
    staff.POST("/programs/{programId}/calls", {
      params: { path: { programId } },
      body: {
        callId,
        title: "Usage ingestion benchmark call",
        opensAt: new Date(Date.now() - day).toISOString(),
        closesAt: new Date(Date.now() + 30 * day).toISOString(),
        review: {
          rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
          minReviewers: 1,
          reviewPeriod: "P7D",
        },
        reviewerPool: [reviewer],
      },
    }),
  );
  const amounts = { cashCents: 100_000, creditsCents: AWARD_CREDITS_CENTS };
  const proposalId = await submit(
    runtime,
    grantee,
    submission(callId, {
      pi: { name: "Bench PI", email: "bench@inst.example", institution: "Bench Institute" },
      requestedCashCents: amounts.cashCents,
      requestedCreditsCents: amounts.creditsCents,
    }),
  );
  const assignment = await assignmentOf(runtime, reviewer, proposalId);
  await ok(
    (await actAs(runtime, reviewer, "reviewer")).POST("/assignments/{assignmentId}/review", {
      params: { path: { assignmentId: assignment.assignmentId } },
      body: rubricReview({ impact: 5 }),
    }),
  );
  await waitForStatus(runtime, proposalId, "decision_pending");
  await ok(
    staff.POST("/proposals/{proposalId}/decision", {
      params: { path: { proposalId } },
      body: {
        outcome: "approve",
        rationale: "Benchmark award with ample credits",
        ...amounts,
      },
    }),
  );
  const me = await actAs(runtime, grantee, "applicant");
  const offer = await until(async () => {
    const { items } = await ok(me.GET("/awards"));
    return items.find((a: { proposalId: string }) => a.proposalId === proposalId);
  }, "the award offer");
  await ok(me.POST("/awards/{awardId}/accept", { params: { path: { awardId: offer.awardId } } }));
  const award = await until(
    async () => {
      const got = await reply(
        staff.GET("/awards/{awardId}", { params: { path: { awardId: offer.awardId } } }),
      );
      return got.body?.status === "active" ? got.body : undefined;
    },
    "the award to be active",
    60_000,
  );
  const startsAt = Date.parse(award.startsAt ?? award.acceptedAt ?? "");
  return { awardId: award.awardId as string, startsAt: Number.isFinite(startsAt) ? startsAt : Date.now() };
};

/** Raw BatchWriteItem on the runtime's own DynamoDB Local, into a scratch table made and dropped here. */
export const runtimeBaseline = async (endpoint: string, options: BatchWriteOptions) => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const doc = DynamoDBDocumentClient.from(client);
  // The shape of baseline A's table (keys, index, stream), so the two baselines are alike.
  const table = { ...runtimeTable, name: `allot-bench-scratch-${randomUUID().slice(0, 8)}` };
  try {
    await ensureTable(client, table);
    await batchWriteBaseline(doc, table.name, { ...options, items: Math.ceil(options.items / 4) }); // warm-up
    return await batchWriteBaseline(doc, table.name, options);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table.name })).catch(() => undefined);
    client.destroy();
  }
};

/**
 * The whole section: starts the runtime (handing its stop to `onStop` at once, so that the
 * caller stops it whatever happens), skips if `POST /usage` is not there, else sets up the
 * award, measures the baseline and the ingestion, and stops the runtime. `deadline` is a
 * `performance.now()` time by which the balance must have caught up.
 */
export const ingestionBench = async (
  options: IngestionOptions,
  deadline: number,
  onStop: (stop: () => Promise<void>) => void,
): Promise<IngestionOutcome> => {
  let runtime: RuntimeProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= runtime?.stop() ?? Promise.resolve();
    return stopping;
  };
  try {
    runtime = await startRuntimeProcess();
    onStop(stop);
    const meter = api(runtime.http, await runtime.token("bench-meter", "integration"));
    const probe = await meter("POST", "/usage", { records: [] });
    if (probe.status === 404 || probe.status === 405) return { skipped: "POST /usage not deployed" };

    const { awardId, startsAt } = await activeAward(runtime);
    const baseline = await runtimeBaseline(runtime.dynamodb, options.baseline);
    // Records lie between the award's start and now; make sure that is at least a few seconds.
    await sleep(Math.max(0, startsAt + 3_000 - Date.now()));
    const staff = api(runtime.http, await runtime.token("bench-staff", "staff"));
    const result = await measureIngestion(
      { meter, staff, awardId, window: { from: startsAt, to: Date.now() } },
      options,
      deadline,
    );
    return { ...result, baseline };
  } finally {
    await stop();
  }
};
