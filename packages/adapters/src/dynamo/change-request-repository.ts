import { ConcurrentModification, conflict } from "@allot/core";
import type { ChangeRequest, ChangeRequestRepository } from "@allot/core/award";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { awardItem } from "./award-repository.js";
import { cursorPage } from "./cursor-page.js";
import { changeKeys, entityOf } from "./keys.js";
import { partitionQuery, queryPartition } from "./query.js";
import {
  type GuardedItem,
  putIfAbsent,
  type TransactItem,
  transactWithOutbox,
  versionedPut,
} from "./transact.js";

// Layout (keys.ts spells it):
//   AWARD#<awardId> / CHANGE#<changeId>     the request (gsi2: CHANGES#<status>, <requestedAt>#<changeId>)
//   AWARD#<awardId> / OPENCHANGE#<kind>     the kind's open request: created with the request,
//                                           deleted with its decision, so at most one is open

export const changeItem = (c: ChangeRequest) => ({
  ...c,
  ...changeKeys.key(c.awardId, c.changeId),
  ...changeKeys.indexes(c),
  type: "change-request",
});

/**
 * The items that record a decision: the request under its revision, and its kind's open marker
 * removed. The ledger's movements add them when a supplement is granted, so the money, the award
 * and the decision land together.
 */
export const changeDecisionItems = (tableName: string, c: ChangeRequest): TransactItem[] => [
  versionedPut(tableName, changeItem(c), c.revision - 1),
  {
    Delete: {
      TableName: tableName,
      Key: changeKeys.open(c.awardId, c.kind),
      ConditionExpression: "changeId = :changeId",
      ExpressionAttributeValues: { ":changeId": c.changeId },
    },
  },
];

// The cursor names the last item returned: its gsi2 sort key and its award (the table key a GSI
// start key needs too), each checked for its shape before use.
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z#(chg_[0-9a-z]{26}))\|(awd_[0-9a-z]{26})$/;
const cursorOf = (item: Record<string, unknown>) =>
  `${String(item.requestedAt)}#${String(item.changeId)}|${String(item.awardId)}`;
const startOf = (gsi2pk: string) => (text: string) => {
  const [, sort, changeId, awardId] = CURSOR.exec(text) as unknown as [string, string, string, string];
  return { gsi2pk, gsi2sk: sort, ...changeKeys.key(awardId, changeId) };
};

const byRequestedAt = (a: ChangeRequest, b: ChangeRequest) =>
  a.requestedAt.localeCompare(b.requestedAt) || a.changeId.localeCompare(b.changeId);

export const dynamoChangeRequestRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ChangeRequestRepository => {
  const get = async (key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  return {
    async get(awardId, changeId) {
      const item = await get(changeKeys.key(awardId, changeId));
      return item ? entityOf<ChangeRequest>(item) : undefined;
    },

    async listForAward(awardId) {
      const items = await queryPartition(doc, tableName, changeKeys.ofAward(awardId), { consistent: true });
      return items.map((item) => entityOf<ChangeRequest>(item)).sort(byRequestedAt);
    },

    async listByStatus(status, options) {
      const partition = changeKeys.byStatus(status);
      const page = await cursorPage(doc, partitionQuery(tableName, partition), {
        limit: options.limit,
        cursor: options.cursor,
        oldestFirst: true,
        shape: CURSOR,
        cursorOf,
        startOf: startOf(partition.pk),
      });
      const items = page.items.map((item) => entityOf<ChangeRequest>(item));
      return { items, ...(page.cursor ? { nextCursor: page.cursor } : {}) };
    },

    async open(change, events) {
      const items: GuardedItem[] = [
        {
          item: putIfAbsent(tableName, {
            ...changeKeys.open(change.awardId, change.kind),
            changeId: change.changeId,
          }),
          refused: async () => {
            const open = await get(changeKeys.open(change.awardId, change.kind));
            return conflict(
              `Award ${change.awardId} already has an open ${change.kind} request${open ? ` (${String(open.changeId)})` : ""}; wait for its decision before asking again`,
            );
          },
        },
        {
          item: putIfAbsent(tableName, changeItem(change)),
          refused: () => conflict(`Change request ${change.changeId} exists already`),
        },
      ];
      await transactWithOutbox(doc, tableName, { items, events, at: new Date(change.requestedAt) });
    },

    async decide(change, award, events) {
      const modified = () => new ConcurrentModification(`Change request ${change.changeId} or its award`);
      const items: GuardedItem[] = changeDecisionItems(tableName, change).map((item) => ({
        item,
        refused: modified,
      }));
      if (award)
        items.push({
          item: versionedPut(tableName, awardItem(award), award.revision - 1),
          refused: modified,
        });
      await transactWithOutbox(doc, tableName, {
        items,
        events,
        at: new Date(change.decision?.decidedAt ?? Date.now()),
      });
    },
  };
};
