import { notFound, validationError } from "@allot/core";
import type { ListOptions, Notification, NotificationRepository, Page } from "@allot/core/notification";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "../dynamo/batch-get.js";
import { failedConditions } from "../dynamo/errors.js";
import { entityOf, notificationKeys, type Partition } from "../dynamo/keys.js";
import { partitionQuery } from "../dynamo/query.js";
import { type RetryPolicy, withRetries } from "../dynamo/retry.js";

// Items (keys in dynamo/keys.ts): the notification, listed by recipient (gsi1) and all of them
// (gsi2), and a reference in its proposal's item collection. The reference makes "one proposal's notifications" a query on a few items instead of a
// filter over every notification ever sent; it is written in the same transaction as the
// notification, and holds only ids, so marking a notification sent touches one item.
// Every listing sorts on `<createdAt>#<id>`, and the cursor is that sort key alone: the
// partition comes from the caller's own query, so no cursor can open someone else's listing.

const key = notificationKeys.key;
const sortKey = notificationKeys.sort;

const toItem = (n: Notification) => ({
  ...key(n.notificationId),
  ...notificationKeys.indexes(n),
  type: "notification",
  ...n,
});

const fromItem = (item: Record<string, unknown>) => entityOf<Notification>(item);

// Two deliveries of one event race on the reference; the loser's transaction is cancelled
// without a verdict, and asking again gets one.
const RACE_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200 };

const CURSOR = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#ntf_[0-9a-z]{26}$/;

export const encodeCursor = (sort: string) => Buffer.from(sort, "utf8").toString("base64url");

const decodeCursor = (cursor: string): string => {
  const sort = Buffer.from(cursor, "base64url").toString("utf8");
  if (!CURSOR.test(sort))
    throw validationError("The cursor is invalid", [
      { field: "cursor", message: "is not a cursor this listing returned" },
    ]);
  return sort;
};

/** Reads up to `limit` matching items from the first page on, sorted newest first. */
const collect = async (
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: {
    limit: number;
    cursor?: string;
    sortOf: (item: Record<string, unknown>) => string;
    start: (sort: string) => Record<string, unknown>;
  },
): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> => {
  const items: Record<string, unknown>[] = [];
  let startKey = options.cursor ? options.start(decodeCursor(options.cursor)) : undefined;
  // With a filter, a page may hold fewer matches than it read; keep reading until the page is full.
  // The cursor names the last item returned, not the last one read, so nothing read past it is lost.
  for (;;) {
    const page = await doc.send(
      new QueryCommand({
        ...input,
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      items.push(item);
      if (items.length === options.limit) {
        const more = item !== page.Items?.at(-1) || page.LastEvaluatedKey !== undefined;
        return { items, nextCursor: more ? encodeCursor(options.sortOf(item)) : undefined };
      }
    }
    if (!page.LastEvaluatedKey) return { items };
    startKey = page.LastEvaluatedKey;
  }
};

export const dynamoNotificationRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): NotificationRepository => {
  const byIndex = async (partition: Partition, options: ListOptions): Promise<Page<Notification>> => {
    const pk = `${partition.index}pk`;
    const sk = `${partition.index}sk`;
    const { items, nextCursor } = await collect(doc, partitionQuery(tableName, partition), {
      limit: options.limit,
      cursor: options.cursor,
      sortOf: (item) => item[sk] as string,
      // A GSI's start key is the index key plus the table key of the item it names.
      start: (sort) => ({ [pk]: partition.pk, [sk]: sort, ...key(notificationKeys.idOfSort(sort)) }),
    });
    return { items: items.map(fromItem), nextCursor };
  };

  const byProposal = async (
    proposalId: string,
    options: ListOptions,
    recipient?: string,
  ): Promise<Page<Notification>> => {
    const refs = partitionQuery(tableName, notificationKeys.refsOfProposal(proposalId));
    const { items, nextCursor } = await collect(
      doc,
      recipient
        ? {
            ...refs,
            FilterExpression: "recipientUserId = :recipient",
            ExpressionAttributeValues: { ...refs.ExpressionAttributeValues, ":recipient": recipient },
          }
        : refs,
      {
        limit: options.limit,
        cursor: options.cursor,
        sortOf: (item) => notificationKeys.sortOfRef(item.sk as string),
        start: (sort) => notificationKeys.ref(proposalId, sort),
      },
    );
    const ids = items.map((item) => item.notificationId as string);
    const found = new Map(
      (await batchGetAll(doc, tableName, ids.map(key))).map((item) => {
        const n = fromItem(item);
        return [n.notificationId, n] as const;
      }),
    );
    return { items: ids.flatMap((id) => found.get(id) ?? []), nextCursor };
  };

  return {
    async putIfAbsent(notification) {
      const put = {
        TableName: tableName,
        Item: toItem(notification),
        ConditionExpression: "attribute_not_exists(pk)",
      };
      const proposalId = notification.related.proposalId;
      // The reference is only written with a new notification: a retry with a later createdAt
      // fails the condition above and cancels it, so a proposal never lists one twice.
      const write = () =>
        proposalId
          ? doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Put: put },
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        ...notificationKeys.ref(proposalId, sortKey(notification)),
                        type: "notification-ref",
                        notificationId: notification.notificationId,
                        ...(notification.recipient.userId
                          ? { recipientUserId: notification.recipient.userId }
                          : {}),
                      },
                    },
                  },
                ],
              }),
            )
          : doc.send(new PutCommand(put));
      try {
        await withRetries<unknown>(write, RACE_RETRY);
        return true;
      } catch (error) {
        if (failedConditions(error)?.includes(0)) return false;
        throw error;
      }
    },

    async markSent(notificationId, sentAt) {
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(notificationId),
            UpdateExpression: "SET #status = :sent, sentAt = if_not_exists(sentAt, :at)",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":sent": "sent", ":at": sentAt },
          }),
        )
        .catch((error) => {
          if (failedConditions(error)) throw notFound(`Notification ${notificationId}`);
          throw error;
        });
    },

    async get(notificationId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: key(notificationId), ConsistentRead: true }),
      );
      return Item ? fromItem(Item) : undefined;
    },

    listForRecipient(userId, options) {
      return options.proposalId
        ? byProposal(options.proposalId, options, userId)
        : byIndex(notificationKeys.ofRecipient(userId), options);
    },

    listAll(options) {
      return options.proposalId
        ? byProposal(options.proposalId, options)
        : byIndex(notificationKeys.all(), options);
    },
  };
};
