import { notFound } from "@allot/core";
import type { ListOptions, Notification, NotificationRepository, Page } from "@allot/core/notification";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "../dynamo/batch-get.js";
import { cursorPage } from "../dynamo/cursor-page.js";
import { failedConditions } from "../dynamo/errors.js";
import { indexPage } from "../dynamo/index-page.js";
import { entityOf, type IndexPartition, notificationKeys } from "../dynamo/keys.js";
import { partitionQuery } from "../dynamo/query.js";
import { type RetryPolicy, withRetries } from "../dynamo/retry.js";

// Items (keys in dynamo/keys.ts): the notification, listed by recipient (gsi1) and all of them
// (gsi2), a reference in its proposal's item collection, and, while it waits for its
// recipient's digest, a queue entry. The reference makes "one proposal's notifications" a query on a few items instead of a
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

export const dynamoNotificationRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): NotificationRepository => {
  const byIndex = async (partition: IndexPartition, options: ListOptions): Promise<Page<Notification>> => {
    const { items, cursor } = await indexPage(doc, tableName, partition, {
      limit: options.limit,
      cursor: options.cursor,
      sortShape: CURSOR,
      keyOfSort: (sort) => key(notificationKeys.idOfSort(sort)),
    });
    return { items: items.map(fromItem), nextCursor: cursor };
  };

  const byProposal = async (
    proposalId: string,
    options: ListOptions,
    recipient?: string,
  ): Promise<Page<Notification>> => {
    const refs = partitionQuery(tableName, notificationKeys.refsOfProposal(proposalId));
    const { items, cursor } = await cursorPage(
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
        shape: CURSOR,
        cursorOf: (item) => notificationKeys.sortOfRef(item.sk as string),
        startOf: (sort) => notificationKeys.ref(proposalId, sort),
      },
    );
    const ids = items.map((item) => item.notificationId as string);
    const found = new Map(
      (await batchGetAll(doc, tableName, ids.map(key))).map((item) => {
        const n = fromItem(item);
        return [n.notificationId, n] as const;
      }),
    );
    return { items: ids.flatMap((id) => found.get(id) ?? []), nextCursor: cursor };
  };

  return {
    async putIfAbsent(notification) {
      const put = {
        TableName: tableName,
        Item: toItem(notification),
        ConditionExpression: "attribute_not_exists(pk)",
      };
      const proposalId = notification.related.proposalId;
      const userId = notification.recipient.userId;
      // The reference and the queue entry are only written with a new notification: a retry with
      // a later createdAt fails the condition above and cancels them, so a proposal never lists
      // one twice and a digest never carries one twice.
      const companions = [
        ...(proposalId
          ? [
              {
                ...notificationKeys.ref(proposalId, sortKey(notification)),
                type: "notification-ref",
                notificationId: notification.notificationId,
                ...(userId ? { recipientUserId: userId } : {}),
              },
            ]
          : []),
        ...(notification.status === "queued" && userId
          ? [
              {
                ...notificationKeys.queued(userId, sortKey(notification)),
                ...notificationKeys.queuedIndexes(userId),
                type: "notification-queued",
                notificationId: notification.notificationId,
              },
            ]
          : []),
      ];
      const write = () =>
        companions.length
          ? doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Put: put },
                  ...companions.map((Item) => ({ Put: { TableName: tableName, Item } })),
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

    async nextQueuedRecipient(after) {
      const query = partitionQuery(tableName, notificationKeys.queuedRecipients());
      const { Items } = await doc.send(
        new QueryCommand({
          ...query,
          ...(after === undefined
            ? {}
            : {
                KeyConditionExpression: `${query.KeyConditionExpression} AND gsi2sk > :after`,
                ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ":after": after },
              }),
          Limit: 1,
        }),
      );
      return Items?.[0]?.gsi2sk as string | undefined;
    },

    async listQueued(userId, limit) {
      const { Items } = await doc.send(
        new QueryCommand({
          ...partitionQuery(tableName, notificationKeys.queueOf(userId)),
          ConsistentRead: true,
          ScanIndexForward: true,
          Limit: limit,
        }),
      );
      const ids = (Items ?? []).map((item) => item.notificationId as string);
      const found = new Map(
        (await batchGetAll(doc, tableName, ids.map(key))).map((item) => {
          const n = fromItem(item);
          return [n.notificationId, n] as const;
        }),
      );
      return ids.flatMap((id) => found.get(id) ?? []);
    },

    async markDigested(notification, digestId, sentAt) {
      const update = {
        TableName: tableName,
        Key: key(notification.notificationId),
        UpdateExpression:
          "SET #status = :sent, sentAt = if_not_exists(sentAt, :at), digestId = if_not_exists(digestId, :digest)",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":sent": "sent", ":at": sentAt, ":digest": digestId },
      };
      const userId = notification.recipient.userId;
      // One write: a notice is never off the queue and unsent, nor sent and still queued.
      const write = (): Promise<unknown> =>
        userId
          ? doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Update: update },
                  {
                    Delete: {
                      TableName: tableName,
                      Key: notificationKeys.queued(userId, sortKey(notification)),
                    },
                  },
                ],
              }),
            )
          : doc.send(new UpdateCommand(update));
      await withRetries<unknown>(write, RACE_RETRY).catch((error) => {
        if (failedConditions(error)?.includes(0))
          throw notFound(`Notification ${notification.notificationId}`);
        throw error;
      });
    },
  };
};
