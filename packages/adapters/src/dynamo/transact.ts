import { randomUUID } from "node:crypto";
import type { DomainEvent } from "@allot/core/events";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { DEFAULT_RETRY, type RetryPolicy, withRetries } from "./retry.js";

// The one way a state change is written: its items and its outbox events in one transaction,
// each conditional item paired with the domain error its failed condition means. A cancelled
// transaction's reasons are translated here, at one boundary, and nowhere above it.

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface GuardedItem {
  item: TransactItem;
  /** The domain error this item's failed condition means; without one the AWS error goes up. */
  refused?: () => Error | Promise<Error>;
}

/** The condition that makes a put a versioned one: created once, or replacing the revision read. */
export const revisionCondition = (expectedRevision: number | null) =>
  expectedRevision === null
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : {
        ConditionExpression: "revision = :expected",
        ExpressionAttributeValues: { ":expected": expectedRevision },
      };

/** A put of `item` conditioned on the revision stored (null: the item must not exist yet). */
export const versionedPut = (
  tableName: string,
  item: object,
  expectedRevision: number | null,
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: item as Record<string, unknown>,
    ...revisionCondition(expectedRevision),
  },
});

/** A put that succeeds only for the first writer of its key: a uniqueness claim, a marker. */
export const putIfAbsent = (tableName: string, item: object): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: item as Record<string, unknown>,
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

export interface OutboxWrite {
  items: GuardedItem[];
  events: DomainEvent[];
  /** When the change happened: the outbox items' creation time. */
  at: Date;
  retry?: RetryPolicy;
}

/** A transaction cancelled by failed conditions: which items failed, and the AWS error that said so. */
export interface Refusal {
  failed: number[];
  error: unknown;
}

/**
 * Sends one transaction, retried while DynamoDB says "not now"; answers undefined when it went
 * through, or which items' conditions failed. One client token serves every attempt, so a
 * transaction that did apply before a 5xx is not applied twice.
 */
export const sendTransaction = async (
  doc: DynamoDBDocumentClient,
  TransactItems: TransactItem[],
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<Refusal | undefined> => {
  const ClientRequestToken = randomUUID();
  try {
    await withRetries(() => doc.send(new TransactWriteCommand({ TransactItems, ClientRequestToken })), retry);
    return undefined;
  } catch (error) {
    const failed = failedConditions(error);
    if (failed) return { failed, error };
    throw error;
  }
};

/**
 * Commits the items and the events' outbox items together; throws the `refused` error of the
 * first item whose condition failed, or the AWS error when that item names none.
 */
export const transactWithOutbox = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  write: OutboxWrite,
): Promise<void> => {
  const refusal = await sendTransaction(
    doc,
    [...write.items.map((g) => g.item), ...write.events.map((e) => outboxPut(tableName, e, write.at))],
    write.retry,
  );
  if (!refusal) return;
  const refused = refusal.failed.map((i) => write.items[i]?.refused).find((r) => r !== undefined);
  throw refused ? await refused() : refusal.error;
};
