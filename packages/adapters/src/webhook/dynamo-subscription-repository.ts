import { ConcurrentModification, conflict } from "@allot/core";
import type { Subscription, SubscriptionRepository } from "@allot/core/webhook";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { indexPage } from "../dynamo/index-page.js";
import { entityOf, subscriptionKeys } from "../dynamo/keys.js";
import { transactWithOutbox, versionedPut } from "../dynamo/transact.js";

// A subscription is one item, written with its events (the outbox) and conditional on the
// revision read; it is never deleted (status "deleted").

const toItem = (s: Subscription) => ({
  ...subscriptionKeys.key(s.subscriptionId),
  ...subscriptionKeys.indexes(s),
  type: "subscription",
  ...s,
});

const SORT = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#sub_[0-9a-z]{26}$/;

export const dynamoSubscriptionRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): SubscriptionRepository => ({
  async get(subscriptionId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: subscriptionKeys.key(subscriptionId), ConsistentRead: true }),
    );
    return Item ? entityOf<Subscription>(Item) : undefined;
  },

  create: (subscription, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(subscription), null),
          refused: () => conflict(`Subscription ${subscription.subscriptionId} already exists`),
        },
      ],
      events,
      at: new Date(subscription.updatedAt),
    }),

  update: (subscription, expectedRevision, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(subscription), expectedRevision),
          refused: () => new ConcurrentModification(`Subscription ${subscription.subscriptionId}`),
        },
      ],
      events,
      at: new Date(subscription.updatedAt),
    }),

  async list({ ownerId, limit, cursor }) {
    const page = await indexPage(
      doc,
      tableName,
      ownerId === undefined ? subscriptionKeys.all() : subscriptionKeys.ofOwner(ownerId),
      {
        limit,
        ...(cursor !== undefined ? { cursor } : {}),
        sortShape: SORT,
        keyOfSort: (sort) => subscriptionKeys.key(subscriptionKeys.idOfSort(sort)),
      },
    );
    return {
      items: page.items.map((item) => entityOf<Subscription>(item)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  },
});
