import {
  chipSecondsByDay,
  dayOf,
  deltaOf,
  type StoredUsage,
  type UsageRecord,
  type UsageRepository,
  type UsageTotals,
} from "@allot/core/usage";
import type { AttributeValue, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { failedConditions } from "./errors.js";
import { usageKeys, utilizationKeys } from "./keys.js";
import { outboxPut } from "./outbox.js";
import { queryPartition } from "./query.js";
import { backoffMs, type RetryPolicy, transientReason } from "./retry.js";
import { putIfAbsent, sendTransaction, transactWithOutbox } from "./transact.js";

// Key layout of usage (single table; keys.ts spells these keys):
//   USAGE#<recordId>              / RECORD     the accepted record, as first received, never overwritten;
//                                              stored by the write that counts it (its INSERT on the
//                                              stream → the processor checks thresholds)
//   CONSUMPTION#<awardId>#<shard> / TOTAL      consumedCents, records: one of SHARDS partial sums
//   CONSUMPTION#<awardId>#<shard> / DAY#<day>  chargeCents, records: that shard's share of a day
//   THRESHOLD#<awardId>#<pct>     / THRESHOLD  the threshold was raised (with its outbox events)
//   UTILIZATION#<programId>#<shard> / DAY#<day> usedChipSeconds: the program's compute usage that
//                                              day (records split over the UTC days they span)
//
// The stored record is the exactly-once guard. Each record is put only if absent, in the same
// TransactWriteItems as the counter items its charge goes to: stored means counted, and a copy
// (a resend, a concurrent sender's) is refused by the condition and counts nothing. No separate
// marker, no second pass. The transaction adds a whole chunk of an award's records to ONE of
// SHARDS counter partitions, picked at random per attempt: a busy award's usage does not land on
// one partition (about 1,000 WCU/s each), and concurrent writers rarely touch the same counter
// item (which cancels one of them with TransactionConflict: it retries on another shard).
// Write cost per distinct record (items ≤ 1 KB; transactional writes cost double):
//   2 WCU for the record + 2 × (1 TOTAL + d DAY + u UTILIZATION items) / k for the chunk's share,
// k ≈ 97 records per transaction: ≈ 2.06 WCU for one charge day and one usage day (3.08 with
// the marker design before). `usageWriteUnits` computes it; the README and docs/scale.md explain it.
export const USAGE_SHARDS = 8;
/**
 * A program's utilization items are written by the transactions of all its awards, so they get
 * more shards than one award's counter: with records of many awards per request (about 10 per
 * award), 8 shards would see a TransactionConflict on about a third of the transactions on AWS
 * at a 40,000-chip cluster's rate (docs/scale.md), 32 about a tenth. The report reads them all.
 */
export const UTILIZATION_SHARDS = 32;
const TRANSACTION_ITEMS = 100;
/** Chunk transactions in flight per stored batch: DynamoDB Local serializes them; AWS does not. */
const CHUNKS_IN_FLIGHT = 4;
/** Counter transactions lose races to concurrent writers: 12 attempts, 10 ms doubling to 1.28 s. */
const COUNT_RETRY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 10, maxDelayMs: 1_280 };

/**
 * Write units per distinct record for a transaction of `records` records whose charges fall on
 * `days` days and (with a program) whose compute spans `usedDays` days: transactional writes of
 * items up to 1 KB cost 2 WCU each.
 */
export const usageWriteUnits = (records: number, days = 1, usedDays = 1) =>
  2 + (2 * (1 + days + usedDays)) / records;

/** The most records one transaction holds with one charge day and one usage day. */
export const RECORDS_PER_TRANSACTION = TRANSACTION_ITEMS - 3;

/** The record item already stored under an id: from the refused write, else read back. */
const heldRecordOf =
  (doc: DynamoDBDocumentClient, tableName: string) =>
  async (recordId: string, old: Record<string, AttributeValue> | undefined): Promise<UsageRecord> => {
    const item = old
      ? unmarshall(old)
      : (
          await doc.send(
            new GetCommand({ TableName: tableName, Key: recordKey(recordId), ConsistentRead: true }),
          )
        ).Item;
    if (!item) throw new Error(`Usage record ${recordId} was refused as present but cannot be read`);
    return item.record as UsageRecord;
  };

const recordKey = usageKeys.record;
const thresholdKey = usageKeys.threshold;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The stream's new image of a `USAGE#…/RECORD` item, back to what was accepted. */
export const storedUsageFromItem = (item: Record<string, unknown>): StoredUsage => ({
  record: item.record as StoredUsage["record"],
  receivedAt: String(item.receivedAt),
});

/**
 * The chip-seconds per day a record adds to its program's utilization. A record spanning more
 * days than a transaction has room for (about three months in one record) counts on its charge's
 * day instead: the total stays exact, only its spread is coarser.
 */
const MAX_USED_DAYS = 60;
const usedByDay = (r: StoredUsage): Map<string, number> => {
  if (r.record.type !== "compute") return new Map();
  const split = chipSecondsByDay(r.record);
  if (split.size <= MAX_USED_DAYS) return split;
  const total = [...split.values()].reduce((a, b) => a + b, 0);
  return new Map([[dayOf(r.record, r.receivedAt), total]]);
};

/**
 * Splits records so that the records + the shard total + one item per charge day + (with a program)
 * one utilization item per usage day fit in a transaction.
 */
const chunksOf = (records: StoredUsage[], withProgram: boolean) => {
  const chunks: StoredUsage[][] = [];
  let current: StoredUsage[] = [];
  let days = new Set<string>();
  let usedDays = new Set<string>();
  for (const r of records) {
    const day = dayOf(r.record, r.receivedAt);
    const nextDays = days.has(day) ? days.size : days.size + 1;
    const nextUsed = withProgram ? new Set([...usedDays, ...usedByDay(r).keys()]) : usedDays;
    if (current.length && current.length + 1 + 1 + nextDays + nextUsed.size > TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
      days = new Set();
      usedDays = new Set();
    }
    current.push(r);
    days.add(day);
    if (withProgram) for (const d of usedByDay(r).keys()) usedDays.add(d);
  }
  if (current.length) chunks.push(current);
  return chunks;
};

export const dynamoUsageRepository = (doc: DynamoDBDocumentClient, tableName: string): UsageRepository => {
  const heldRecord = heldRecordOf(doc, tableName);

  /** The records stored under these ids. */
  const readHeld = async (recordIds: string[]) => {
    const items = await batchGetAll(doc, tableName, recordIds.map(recordKey));
    return new Map(items.map((item) => [(item.record as UsageRecord).recordId, item.record as UsageRecord]));
  };
  /**
   * One chunk of one award's records, stored and counted in one transaction; retried without the
   * records another writer holds (their held content answered), until none is left, it commits,
   * or `until` has passed (the records left are then missing from `held`).
   */
  const storeChunk = async (
    awardId: string,
    chunk: StoredUsage[],
    programId: string | undefined,
    held: Map<string, UsageRecord>,
    until: number,
  ) => {
    let pending = chunk;
    for (let attempt = 1; pending.length && Date.now() < until; attempt++) {
      const shard = Math.floor(Math.random() * USAGE_SHARDS);
      const utilizationShard = Math.floor(Math.random() * UTILIZATION_SHARDS);
      const days = new Map<string, { cents: number; records: number }>();
      for (const r of pending) {
        const day = dayOf(r.record, r.receivedAt);
        const d = days.get(day) ?? { cents: 0, records: 0 };
        days.set(day, { cents: d.cents + deltaOf(r.record), records: d.records + 1 });
      }
      const used = new Map<string, number>();
      if (programId)
        for (const r of pending)
          for (const [day, seconds] of usedByDay(r)) used.set(day, (used.get(day) ?? 0) + seconds);
      const total = pending.reduce((s, r) => s + deltaOf(r.record), 0);
      const add = (Key: { pk: string; sk: string }, cents: number, records: number) => ({
        Update: {
          TableName: tableName,
          Key,
          UpdateExpression: "ADD chargeCents :c, records :n SET awardId = :a, #t = :t",
          ExpressionAttributeNames: { "#t": "type" },
          ExpressionAttributeValues: { ":c": cents, ":n": records, ":a": awardId, ":t": "consumption" },
        },
      });
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              // The records first: a cancellation's reasons index them directly.
              ...pending.map(({ record, receivedAt }) => ({
                Put: {
                  TableName: tableName,
                  Item: { ...recordKey(record.recordId), type: "usage", awardId, record, receivedAt },
                  ConditionExpression: "attribute_not_exists(pk)",
                  ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
                },
              })),
              add(usageKeys.shardTotal(awardId, shard), total, pending.length),
              ...[...days].map(([day, d]) =>
                add(usageKeys.shardDay(awardId, shard, day), d.cents, d.records),
              ),
              ...[...used].map(([day, seconds]) => ({
                Update: {
                  TableName: tableName,
                  Key: utilizationKeys.usedDay(programId ?? "", utilizationShard, day),
                  UpdateExpression: "ADD usedChipSeconds :s SET programId = :p, #t = :t",
                  ExpressionAttributeNames: { "#t": "type" },
                  ExpressionAttributeValues: { ":s": seconds, ":p": programId, ":t": "utilization" },
                },
              })),
            ],
          }),
        );
        for (const r of pending) held.set(r.record.recordId, r.record);
        return;
      } catch (error) {
        const taken = new Set(failedConditions(error) ?? []);
        if (taken.size) {
          // Stored meanwhile by another sender (and counted by its transaction): what it holds
          // answers for them; the rest are tried again.
          const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
          for (const i of taken) {
            const r = pending[i] as StoredUsage;
            held.set(r.record.recordId, await heldRecord(r.record.recordId, reasons[i]?.Item));
          }
          pending = pending.filter((_, i) => !taken.has(i));
          continue;
        }
        // Lost a race on a counter item or throttled: another shard next time, after a pause. A
        // 5xx that had applied the chunk meets its records on the next attempt: counted once.
        if (transientReason(error) === undefined || attempt >= COUNT_RETRY.maxAttempts) throw error;
        await sleep(backoffMs(attempt, COUNT_RETRY));
      }
    }
  };

  return {
    async store(records, { until = Number.POSITIVE_INFINITY, programOf } = {}) {
      // The first copy of an id is the one offered (a transaction takes one write per item).
      const firsts = [...new Map(records.map((r) => [r.record.recordId, r] as const).reverse()).values()];
      // Ids stored before (a resend after a timeout) are read, not written again: 100 keys a
      // request and nothing to commit, so a resend only writes what the last attempt did not.
      const held = await readHeld(firsts.map((r) => r.record.recordId));
      const byAward = new Map<string, StoredUsage[]>();
      for (const r of firsts) {
        if (held.has(r.record.recordId)) continue;
        byAward.set(r.record.awardId, [...(byAward.get(r.record.awardId) ?? []), r]);
      }
      const chunks = [...byAward].flatMap(([awardId, list]) => {
        const programId = programOf?.(awardId);
        // By charge day first: a shuffled multi-day batch would otherwise put more DAY and
        // utilization items, and so fewer records, in each transaction (more units per record).
        const byDay = [...list].sort((a, b) =>
          dayOf(a.record, a.receivedAt).localeCompare(dayOf(b.record, b.receivedAt)),
        );
        return chunksOf(byDay, programId !== undefined).map((chunk) => ({ awardId, programId, chunk }));
      });
      // A few chunks in flight, none started after `until`: the records left are not in the answer.
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(CHUNKS_IN_FLIGHT, chunks.length) }, async () => {
          for (let c = chunks[next++]; c; c = chunks[next++]) {
            if (Date.now() >= until) return;
            await storeChunk(c.awardId, c.chunk, c.programId, held, until);
          }
        }),
      );
      return held;
    },

    async consumed(awardId) {
      const shards = await batchGetAll(
        doc,
        tableName,
        Array.from({ length: USAGE_SHARDS }, (_, shard) => usageKeys.shardTotal(awardId, shard)),
      );
      return shards.reduce((sum, item) => sum + Number(item.chargeCents ?? 0), 0);
    },

    async totals(awardId) {
      const shards = await Promise.all(
        Array.from({ length: USAGE_SHARDS }, async (_, shard) => {
          return queryPartition(doc, tableName, usageKeys.shard(awardId, shard), { consistent: true });
        }),
      );
      let consumedCents = 0;
      const days = new Map<string, { chargeCents: number; records: number }>();
      for (const item of shards.flat()) {
        const sk = String(item.sk);
        const cents = Number(item.chargeCents ?? 0);
        const day = usageKeys.dayOf(sk);
        if (usageKeys.isTotal(sk)) consumedCents += cents;
        else if (day !== undefined) {
          const d = days.get(day) ?? { chargeCents: 0, records: 0 };
          days.set(day, {
            chargeCents: d.chargeCents + cents,
            records: d.records + Number(item.records ?? 0),
          });
        }
      }
      const byDay: UsageTotals["byDay"] = [...days]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, d]) => ({ day, ...d }));
      return { consumedCents, byDay };
    },

    async thresholdsRaised(awardId, candidates) {
      if (!candidates.length) return [];
      const raised = await batchGetAll(
        doc,
        tableName,
        candidates.map((t) => thresholdKey(awardId, t)),
      );
      return raised.map((i) => Number(i.threshold));
    },

    async raiseThreshold(awardId, threshold, events) {
      const now = new Date();
      const refusal = await sendTransaction(doc, [
        putIfAbsent(tableName, {
          ...thresholdKey(awardId, threshold),
          type: "threshold",
          awardId,
          threshold,
          at: now.toISOString(),
        }),
        ...events.map((e) => outboxPut(tableName, e, now)),
      ]);
      if (!refusal) return true;
      if (refusal.failed.includes(0)) return false;
      throw refusal.error;
    },

    async publish(events) {
      if (!events.length) return;
      await transactWithOutbox(doc, tableName, { items: [], events, at: new Date() });
    },
  };
};
