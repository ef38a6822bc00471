import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { retentionExpiry } from "./archive.js";
import { ARCHIVE_BATCH, type ArchiveBatchItem, deliveredInBatch } from "./archive-batch.js";
import { batchPut } from "./batch.js";
import {
  DLQ_PARTITION,
  DUE_PARTITION,
  deliveryKey,
  dueSk,
  dueUpperBound,
  type ItemKey,
  keyId,
  keyOfDueSk,
} from "./keys.js";
import { sleep } from "./limit.js";
import type { DeliveryError, DeliveryRecord } from "./types.js";

// Every state change of a delivery is one conditional write. A claim moves it to "running"
// under a lease held by one emulator instance; the outcome is written only while that lease is
// still ours, so two instances never both run or settle a delivery. While pending or running
// the item sits in the sparse due index (gsi1), keyed by when it is next owed attention: its
// due time, or the end of its lease (an instance that died leaves a lease that runs out).

export const isConditionFailure = (error: unknown) => {
  const name = (error as { name?: string } | null)?.name;
  return name === "ConditionalCheckFailedException" || name === "TransactionCanceledException";
};

const keyOf = (record: ItemKey): ItemKey => ({ pk: record.pk, sk: record.sk });

/** BatchGetItem takes at most 100 keys. */
const GET_BATCH = 100;

export class DeliveryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Takes the delivery if it is due, or if its owner's lease ran out; undefined if another has it. */
  async claim(
    key: ItemKey,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<DeliveryRecord | undefined> {
    const leaseUntil = now + leaseMs;
    try {
      const output = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression:
            "SET #status = :running, leaseOwner = :owner, leaseUntil = :until, attempts = attempts + :one, gsi1sk = :gsk",
          ConditionExpression:
            "(#status = :pending AND dueAt <= :now) OR (#status = :running AND leaseUntil < :now)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":running": "running",
            ":pending": "pending",
            ":owner": owner,
            ":until": leaseUntil,
            ":one": 1,
            ":now": now,
            ":gsk": dueSk(leaseUntil, key),
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return output.Attributes as DeliveryRecord;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Extends our lease on a delivery still being invoked; false if it is no longer ours. */
  async renew(key: ItemKey, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const leaseUntil = now + leaseMs;
    return this.settle(key, owner, {
      UpdateExpression: "SET leaseUntil = :until, gsi1sk = :gsk",
      ExpressionAttributeValues: { ":until": leaseUntil, ":gsk": dueSk(leaseUntil, key) },
    });
  }

  async delivered(record: DeliveryRecord, owner: string, now: number) {
    const expiresAt = retentionExpiry(record.retentionDays ?? 0, now);
    return this.settle(record, owner, {
      UpdateExpression: `SET #status = :delivered, deliveredAt = :now, attempts = :attempts${expiresAt ? ", expiresAt = :expires" : ""} REMOVE gsi1pk, gsi1sk, leaseOwner, leaseUntil`,
      ExpressionAttributeValues: {
        ":delivered": "delivered",
        ":now": now,
        ":attempts": record.attempts,
        ...(expiresAt ? { ":expires": expiresAt } : {}),
      },
    });
  }

  async retryLater(record: DeliveryRecord, owner: string, dueAt: number, error: DeliveryError) {
    return this.settle(record, owner, {
      UpdateExpression:
        "SET #status = :pending, dueAt = :due, gsi1sk = :gsk, lastError = :error, attempts = :attempts REMOVE leaseOwner, leaseUntil",
      ExpressionAttributeValues: {
        ":attempts": record.attempts,
        ":pending": "pending",
        ":due": dueAt,
        ":gsk": dueSk(dueAt, record),
        ":error": error,
      },
    });
  }

  /**
   * Writes delivered items (and released batches) without a condition, 25 per call: only for
   * what is leased to us for a good while yet, since no other instance can claim an item
   * before its lease ends.
   * Answers the items that may not have been written.
   */
  async putDelivered<T extends object>(items: T[]): Promise<T[]> {
    const { failed } = await batchPut(
      this.doc,
      this.tableName,
      items.map((item) => ({ tag: item, item })),
    );
    return [...failed];
  }

  /**
   * Writes a delivery of a batch (archive-batch.ts) as an item of its own, unless one exists
   * that is not ours: false when another instance has it.
   */
  async putIfOurs(record: DeliveryRecord, owner: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: "attribute_not_exists(pk) OR (#status = :running AND leaseOwner = :owner)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":running": "running", ":owner": owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Which of these items exist, by keyId. */
  async existing(keys: ItemKey[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += GET_BATCH) {
      let pending: Record<string, unknown>[] = keys
        .slice(i, i + GET_BATCH)
        .map((key) => ({ pk: key.pk, sk: key.sk }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await sleep(20 * 2 ** Math.min(round, 6));
        const output = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ProjectionExpression: "pk, sk" } },
          }),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) found.add(keyId(item as ItemKey));
        pending = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /**
   * A batch none of whose deliveries is owed is only an archive, out of the due index, with the
   * records of those delivered without an item of their own (releasedBatch).
   */
  async release(batch: ItemKey & { delivered?: string }, owner: string): Promise<boolean> {
    const remove = "REMOVE #status, deliveries, attempts, dueAt, leaseOwner, leaseUntil, gsi1pk, gsi1sk";
    return this.settle(batch, owner, {
      UpdateExpression: batch.delivered ? `SET delivered = :delivered ${remove}` : remove,
      ExpressionAttributeValues: batch.delivered ? { ":delivered": batch.delivered } : {},
    });
  }

  /** Settles the delivery as dead and files its dead letter, in one transaction. */
  async deadLetter(
    record: DeliveryRecord,
    owner: string,
    now: number,
    error: DeliveryError,
    deadLetterId: string,
  ) {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keyOf(record),
                UpdateExpression:
                  "SET #status = :dead, deadAt = :now, lastError = :error, attempts = :attempts REMOVE gsi1pk, gsi1sk, leaseOwner, leaseUntil",
                ConditionExpression: "#status = :running AND leaseOwner = :owner",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":dead": "dead",
                  ":now": now,
                  ":error": error,
                  ":running": "running",
                  ":owner": owner,
                  ":attempts": record.attempts,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: DLQ_PARTITION,
                  sk: deadLetterId,
                  kind: "eb-dead-letter",
                  id: deadLetterId,
                  deliveryPk: record.pk,
                  deliverySk: record.sk,
                  deliveryId: record.deliveryId,
                  eventId: record.eventId,
                  bus: record.bus,
                  rule: record.rule,
                  function: record.function,
                  event: record.event,
                  error,
                  attempts: record.attempts,
                  cycle: record.cycle,
                  failedAt: now,
                  status: "dead",
                  ...(record.replayName ? { replayName: record.replayName } : {}),
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      );
      return true;
    } catch (failure) {
      if (isConditionFailure(failure)) return false;
      throw failure;
    }
  }

  /** Keys of deliveries owed attention at `now`, oldest first. */
  async due(now: number, limit: number, startKey?: Record<string, unknown>) {
    const output = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :due AND gsi1sk <= :bound",
        ExpressionAttributeValues: { ":due": DUE_PARTITION, ":bound": dueUpperBound(now) },
        ProjectionExpression: "pk, sk, gsi1pk, gsi1sk",
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const keys: ItemKey[] = [];
    for (const item of output.Items ?? []) {
      const key = keyOfDueSk(item.gsi1sk as string);
      if (key) keys.push(key);
    }
    return { keys, next: output.LastEvaluatedKey };
  }

  /** When the earliest owed delivery is due (epoch ms), or undefined if none is owed at all. */
  async earliestOwed(): Promise<number | undefined> {
    const output = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :due",
        ExpressionAttributeValues: { ":due": DUE_PARTITION },
        ProjectionExpression: "gsi1sk",
        Limit: 1,
      }),
    );
    const sk = output.Items?.[0]?.gsi1sk as string | undefined;
    return sk === undefined ? undefined : Number(sk.slice(0, sk.indexOf("#")));
  }

  /**
   * Every delivery of one event (all rules, targets, replays), for inspection: its items, and
   * the records its archive batch holds (archive-batch.ts). Those are found by a scan of the
   * archive, which is slow on a large table; delivery itself never looks for them, and an
   * index from event to batch would cost a write per event on the common path.
   */
  async ofEvent(eventId: string): Promise<DeliveryRecord[]> {
    const output = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :delivery)",
        ExpressionAttributeValues: { ":pk": deliveryKey(eventId, "", 0).pk, ":delivery": "DELIVERY#" },
      }),
    );
    const records = (output.Items ?? []) as DeliveryRecord[];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: "kind = :batch AND contains(delivered, :eventId)",
          ExpressionAttributeValues: { ":batch": ARCHIVE_BATCH, ":eventId": eventId },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? [])
        records.push(...deliveredInBatch(item as ArchiveBatchItem, eventId));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  }

  private async settle(
    key: ItemKey,
    owner: string,
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: "#status = :isRunning AND leaseOwner = :owner",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ":isRunning": "running",
            ":owner": owner,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
