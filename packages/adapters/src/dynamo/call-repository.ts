import { conflict } from "@allot/core";
import type { Call, CallRepository } from "@allot/core/call";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { callKeys, entityOf } from "./keys.js";
import { partitionQuery, queryAll, queryPartition } from "./query.js";
import { transactWithOutbox, versionedPut } from "./transact.js";

// Core keeps the times in UTC ISO form, which is what makes the index keys sort as strings.
// The pool is a list on the call item (a string set cannot be empty) and is versioned by its
// size, since it only grows.
const toItem = (c: Call) => ({
  ...callKeys.key(c.callId),
  ...callKeys.indexes(c),
  type: "call",
  ...c,
});

const fromItem = (item: Record<string, unknown>) => entityOf<Call>(item);

export const dynamoCallRepository = (doc: DynamoDBDocumentClient, tableName: string): CallRepository => ({
  async get(callId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: callKeys.key(callId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  insert: (call, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(call), null),
          refused: () => conflict(`Call ${call.callId} already exists`),
        },
      ],
      events,
      at: new Date(call.createdAt),
    }),

  async list(filter = {}) {
    const after = filter.closingAfter;
    if (filter.programId) {
      const calls = (await queryPartition(doc, tableName, callKeys.ofProgram(filter.programId))).map(
        fromItem,
      );
      return after ? calls.filter((c) => c.closesAt > after) : calls;
    }
    // "Open now" reads only the calls not yet closed: the index sorts by closing time.
    const all = partitionQuery(tableName, callKeys.byClosing());
    const items = await queryAll(
      doc,
      after
        ? {
            ...all,
            KeyConditionExpression: "gsi2pk = :pk AND gsi2sk > :after",
            ExpressionAttributeValues: { ...all.ExpressionAttributeValues, ":after": after },
          }
        : all,
    );
    // "<closesAt>#<callId>" sorts after "<closesAt>" itself, so a call closing exactly then slips in.
    return items.map(fromItem).filter((c) => !after || c.closesAt > after);
  },

  extendPool: (callId, expectedSize, reviewerIds, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: {
            Update: {
              TableName: tableName,
              Key: callKeys.key(callId),
              UpdateExpression: "SET reviewerPool = list_append(reviewerPool, :added)",
              ConditionExpression: "attribute_exists(pk) AND size(reviewerPool) = :size",
              ExpressionAttributeValues: { ":added": reviewerIds, ":size": expectedSize },
            },
          },
          refused: () =>
            conflict(`The reviewer pool of call ${callId} changed meanwhile; read it again and retry`),
        },
      ],
      events,
      at: new Date(events[0]?.detail.occurredAt ?? Date.now()),
    }),
});
