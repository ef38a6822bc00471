import { notFound, validationError } from "@allot/core";
import type { ListOptions, Notification, NotificationRepository, Page } from "@allot/core/notification";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "../dynamo/errors.js";

// Items (single table, see stacks/src/table.ts):
//   NOTIFICATION#<id> / NOTIFICATION        the notification; gsi1 by recipient, gsi2 all of them
//   PROPOSAL#<id> / NOTIFICATION#<at>#<id>  a reference in its proposal's item collection
// The reference makes "one proposal's notifications" a query on a few items instead of a
// filter over every notification ever sent; it is written in the same transaction as the
// notification, and holds only ids, so marking a notification sent touches one item.
// Every listing sorts on `<createdAt>#<id>`, and the cursor is that sort key alone: the
// partition comes from the caller's own query, so no cursor can open someone else's listing.

const ALL = "NOTIFICATIONS";
const key = (id: string) => ({ pk: `NOTIFICATION#${id}`, sk: "NOTIFICATION" });
const sortKey = (n: Pick<Notification, "createdAt" | "notificationId">) =>
  `${n.createdAt}#${n.notificationId}`;
const refKey = (proposalId: string, sort: string) => ({
  pk: `PROPOSAL#${proposalId}`,
  sk: `NOTIFICATION#${sort}`,
});

const toItem = (n: Notification) => ({
  ...key(n.notificationId),
  ...(n.recipient.userId ? { gsi1pk: `RECIPIENT#${n.recipient.userId}`, gsi1sk: sortKey(n) } : {}),
  gsi2pk: ALL,
  gsi2sk: sortKey(n),
  type: "notification",
  ...n,
});

const fromItem = (item: Record<string, unknown>): Notification => {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    type: _t,
    ...notification
  } = item;
  return notification as unknown as Notification;
};

const isTransactionConflict = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === "TransactionConflict");

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
  const byIndex = async (
    index: "gsi1" | "gsi2",
    partition: string,
    options: ListOptions,
  ): Promise<Page<Notification>> => {
    const pk = `${index}pk`;
    const sk = `${index}sk`;
    const { items, nextCursor } = await collect(
      doc,
      {
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": pk },
        ExpressionAttributeValues: { ":pk": partition },
      },
      {
        limit: options.limit,
        cursor: options.cursor,
        sortOf: (item) => item[sk] as string,
        // A GSI's start key is the index key plus the table key of the item it names.
        start: (sort) => ({ [pk]: partition, [sk]: sort, ...key(sort.slice(sort.indexOf("#") + 1)) }),
      },
    );
    return { items: items.map(fromItem), nextCursor };
  };

  const byProposal = async (
    proposalId: string,
    options: ListOptions,
    recipient?: string,
  ): Promise<Page<Notification>> => {
    const partition = `PROPOSAL#${proposalId}`;
    const { items, nextCursor } = await collect(
      doc,
      {
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ...(recipient
          ? {
              FilterExpression: "recipientUserId = :recipient",
              ExpressionAttributeValues: {
                ":pk": partition,
                ":prefix": "NOTIFICATION#",
                ":recipient": recipient,
              },
            }
          : { ExpressionAttributeValues: { ":pk": partition, ":prefix": "NOTIFICATION#" } }),
      },
      {
        limit: options.limit,
        cursor: options.cursor,
        sortOf: (item) => (item.sk as string).slice("NOTIFICATION#".length),
        start: (sort) => refKey(proposalId, sort),
      },
    );
    const ids = items.map((item) => item.notificationId as string);
    const found = await batchGet(ids);
    return { items: ids.flatMap((id) => found.get(id) ?? []), nextCursor };
  };

  const batchGet = async (ids: string[]): Promise<Map<string, Notification>> => {
    const found = new Map<string, Notification>();
    // BatchGet takes 100 keys, and under throttling answers only part; ask again for the rest.
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] = ids.slice(i, i + 100).map(key);
      for (let attempt = 0; keys.length; attempt++) {
        if (attempt > 8) throw new Error("DynamoDB kept leaving notification reads unprocessed");
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const { Responses, UnprocessedKeys } = await doc.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[tableName] ?? []) {
          const n = fromItem(item);
          found.set(n.notificationId, n);
        }
        keys = UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return found;
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
                        ...refKey(proposalId, sortKey(notification)),
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
      for (let attempt = 1; ; attempt++) {
        try {
          await write();
          return true;
        } catch (error) {
          if (failedConditions(error)?.includes(0)) return false;
          // Two deliveries of one event race here; the loser's transaction is cancelled without a
          // verdict, and asking again gets one (the SDK does not retry a cancelled transaction).
          if (attempt < 4 && isTransactionConflict(error)) {
            await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
            continue;
          }
          throw error;
        }
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
        : byIndex("gsi1", `RECIPIENT#${userId}`, options);
    },

    listAll(options) {
      return options.proposalId ? byProposal(options.proposalId, options) : byIndex("gsi2", ALL, options);
    },
  };
};
