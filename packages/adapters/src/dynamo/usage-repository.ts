import {
  chipSecondsByDay,
  dayOf,
  deltaOf,
  type StoredUsage,
  type UsageRecord,
  type UsageRepository,
  type UsageTotals,
} from "@allot/core/usage";
import { type AttributeValue, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { failedConditions } from "./errors.js";
import { usageKeys, utilizationKeys } from "./keys.js";
import { outboxPut } from "./outbox.js";
import { queryPartition } from "./query.js";
import { backoffMs, type RetryPolicy, transientReason } from "./retry.js";
import { putIfAbsent, sendTransaction, transactWithOutbox } from "./transact.js";

// Key layout of usage (single table; keys.ts spells these keys):
//   USAGE#<recordId>              / RECORD     the accepted record, as first received, never overwritten
//                                              (its INSERT on the stream → processor)
//   USAGE#<recordId>              / COUNTED    the exactly-once marker, written with the counter
//   CONSUMPTION#<awardId>#<shard> / TOTAL      consumedCents, records: one of SHARDS partial sums
//   CONSUMPTION#<awardId>#<shard> / DAY#<day>  chargeCents, records: that shard's share of a day
//   THRESHOLD#<awardId>#<pct>     / THRESHOLD  the threshold was raised (with its outbox events)
//   UTILIZATION#<programId>#<shard> / DAY#<day> usedChipSeconds: the program's compute usage that
//                                              day (records split over the UTC days they span)
//
// Why shards, and what a record costs. A busy award's usage must not land on one partition
// (about 1,000 WCU/s each), nor must concurrent processors serialize on one counter item (a
// transaction touching an item another is writing is cancelled with TransactionConflict). So
// the award's consumption is split over SHARDS items under different partition keys; reads
// sum them (SHARDS queries, in parallel). Each transaction adds the whole of its chunk's
// records to ONE shard picked at random per attempt (not one shard per record): the counter
// then costs 2 item writes per transaction instead of per record, while the exactly-once
// guarantee stays with the per-record markers, which spread over partitions by record id.
// Write cost per record (items ≤ 1 KB): 1 WCU to store it (a conditional Put) + 2 WCU for its
// marker in a transaction (transactional writes cost double) + (2 counter items × 2 WCU) / k
// for the transaction's share, k ≈ 97 records per transaction: ≈ 3.04 WCU per record, plus
// the stream read (free for Lambda). By-day totals ride in the same shard partition, in the
// same transaction, so they are exact too.
export const USAGE_SHARDS = 8;
const TRANSACTION_ITEMS = 100;
/** Conditional record writes in flight per batch: 1,000 records are about 32 round trips deep. */
const STORE_IN_FLIGHT = 32;
/** Counter transactions lose races to concurrent processors: 12 attempts, 10 ms doubling to 1.28 s. */
const COUNT_RETRY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 10, maxDelayMs: 1_280 };

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
const markerKey = usageKeys.counted;
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
 * Splits records so that markers + the shard total + one item per charge day + (with a program)
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
  /** One chunk: retried without the records already counted, until none is left or it commits. */
  const applyChunk = async (awardId: string, chunk: StoredUsage[], programId: string | undefined) => {
    let pending = chunk;
    let duplicates = 0;
    for (let attempt = 1; pending.length; attempt++) {
      const shard = Math.floor(Math.random() * USAGE_SHARDS);
      const now = new Date().toISOString();
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
              // The markers first: a cancellation's reasons index them directly.
              ...pending.map((r) => ({
                Put: {
                  TableName: tableName,
                  Item: {
                    ...markerKey(r.record.recordId),
                    type: "usage-counted",
                    awardId,
                    deltaCents: deltaOf(r.record),
                    shard,
                    countedAt: now,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              })),
              add(usageKeys.shardTotal(awardId, shard), total, pending.length),
              ...[...days].map(([day, d]) =>
                add(usageKeys.shardDay(awardId, shard, day), d.cents, d.records),
              ),
              ...[...used].map(([day, seconds]) => ({
                Update: {
                  TableName: tableName,
                  Key: utilizationKeys.usedDay(programId ?? "", shard, day),
                  UpdateExpression: "ADD usedChipSeconds :s SET programId = :p, #t = :t",
                  ExpressionAttributeNames: { "#t": "type" },
                  ExpressionAttributeValues: { ":s": seconds, ":p": programId, ":t": "utilization" },
                },
              })),
            ],
          }),
        );
        return { counted: pending.length, duplicates };
      } catch (error) {
        const counted = new Set(failedConditions(error) ?? []);
        if (counted.size) {
          // Already counted (a redelivery, or a concurrent sender's copy): drop them, retry the rest.
          duplicates += counted.size;
          pending = pending.filter((_, i) => !counted.has(i));
          continue;
        }
        // Lost a race on a counter item or throttled: another shard next time, after a pause. A
        // 5xx that had applied the chunk meets its markers on the next attempt: counted once.
        if (transientReason(error) === undefined || attempt >= COUNT_RETRY.maxAttempts) throw error;
        await sleep(backoffMs(attempt, COUNT_RETRY));
      }
    }
    return { counted: 0, duplicates };
  };

  return {
    async store(records, until = Number.POSITIVE_INFINITY) {
      // Ids stored before (a resend after a timeout) are read, not written again: 100 keys a
      // request and nothing to commit, so a resend only writes what the last attempt did not.
      const held = await readHeld(records.map((r) => r.record.recordId));
      const storeOne = async ({ record, receivedAt }: StoredUsage) => {
        try {
          await doc.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                ...recordKey(record.recordId),
                type: "usage",
                awardId: record.awardId,
                record,
                receivedAt,
              },
              ConditionExpression: "attribute_not_exists(pk)",
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
          );
          held.set(record.recordId, record);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          held.set(record.recordId, await heldRecord(record.recordId, error.Item));
        }
      };
      const unstored = records.filter((r) => !held.has(r.record.recordId));
      // Parallel lanes of sequential writes (at most STORE_IN_FLIGHT requests at once), none
      // started after `until`: the records left are simply not in the answer.
      const lanes = Array.from({ length: Math.min(STORE_IN_FLIGHT, unstored.length) }, (_, lane) =>
        unstored.filter((_, i) => i % STORE_IN_FLIGHT === lane),
      );
      await Promise.all(
        lanes.map(async (lane) => {
          for (const r of lane) {
            if (Date.now() >= until) return;
            await storeOne(r);
          }
        }),
      );
      return held;
    },

    async apply(awardId, records, programId) {
      const distinct = [...new Map(records.map((r) => [r.record.recordId, r])).values()];
      let counted = 0;
      let duplicates = records.length - distinct.length;
      for (const chunk of chunksOf(distinct, programId !== undefined)) {
        const result = await applyChunk(awardId, chunk, programId);
        counted += result.counted;
        duplicates += result.duplicates;
      }
      return { counted, duplicates };
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
