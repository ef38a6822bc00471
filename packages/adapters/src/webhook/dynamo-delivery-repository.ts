import { ConcurrentModification } from "@allot/core";
import type { Delivery, DeliveryRepository } from "@allot/core/webhook";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "../dynamo/errors.js";
import { indexPage } from "../dynamo/index-page.js";
import { deliveryKeys, entityOf } from "../dynamo/keys.js";
import { queryAll } from "../dynamo/query.js";

// A delivery is one item, written conditionally on its revision (creation: on its absence, which
// makes the bus's at-least-once delivery of an event create it once). Never deleted.

const toItem = (d: Delivery) => ({
  ...deliveryKeys.key(d.deliveryId),
  ...deliveryKeys.indexes(d),
  type: "webhook-delivery",
  ...d,
});

const SORT = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#dlv_[0-9a-z]{26}$/;

export const dynamoDeliveryRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): DeliveryRepository => {
  const put = async (delivery: Delivery, expectedRevision: number | null): Promise<boolean> => {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: JSON.parse(JSON.stringify(toItem(delivery))),
          ...(expectedRevision === null
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "revision = :expected",
                ExpressionAttributeValues: { ":expected": expectedRevision },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (failedConditions(error)) return false;
      throw error;
    }
  };
  return {
    async get(deliveryId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: deliveryKeys.key(deliveryId), ConsistentRead: true }),
      );
      return Item ? entityOf<Delivery>(Item) : undefined;
    },
    createIfAbsent: (delivery) => put(delivery, null),
    async update(delivery, expectedRevision) {
      if (!(await put(delivery, expectedRevision)))
        throw new ConcurrentModification(`Delivery ${delivery.deliveryId}`);
    },
    async listBySubscription({ subscriptionId, status, limit, cursor }) {
      // The status narrows the page read (a filter), so a page may hold fewer than `limit`.
      const page = await indexPage(doc, tableName, deliveryKeys.ofSubscription(subscriptionId), {
        limit,
        ...(cursor !== undefined ? { cursor } : {}),
        sortShape: SORT,
        keyOfSort: (sort) => deliveryKeys.key(deliveryKeys.idOfSort(sort)),
      });
      const items = page.items.map((item) => entityOf<Delivery>(item));
      return {
        items: status ? items.filter((d) => d.status === status) : items,
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    },
    async due(now, limit) {
      const { Items } = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :now",
          ExpressionAttributeValues: { ":pk": deliveryKeys.due().pk, ":now": `${now.toISOString()}#~` },
          Limit: limit,
        }),
      );
      // The index is eventually consistent: the claim (a conditional write) settles any stale read.
      return (Items ?? []).map((item) => entityOf<Delivery>(item)).filter((d) => d.status === "pending");
    },
    async held(subscriptionId, limit) {
      const items = await queryAll(doc, {
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        FilterExpression: "#status = :held",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":pk": deliveryKeys.ofSubscription(subscriptionId).pk, ":held": "held" },
        ScanIndexForward: true,
      });
      return items.slice(0, limit).map((item) => entityOf<Delivery>(item));
    },
  };
};
