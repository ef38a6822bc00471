import { conflict } from "@allot/core";
import type { Call, CallRepository } from "@allot/core/call";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

// gsi1 lists a program's calls by opening time; gsi2 lists every call by closing time, so
// "open now" reads only the calls not yet closed. Core keeps the times in UTC ISO form, which
// is what makes them sort as strings here. The pool is a list on the call item (a string set
// cannot be empty) and is versioned by its size, since it only grows.
const key = (callId: string) => ({ pk: `CALL#${callId}`, sk: "CALL" });

const toItem = (c: Call) => ({
  ...key(c.callId),
  gsi1pk: `PROGRAM#${c.programId}`,
  gsi1sk: `CALL#${c.opensAt}#${c.callId}`,
  gsi2pk: "CALLS",
  gsi2sk: `${c.closesAt}#${c.callId}`,
  type: "call",
  ...c,
});

const fromItem = (item: Record<string, unknown>): Call => {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _t, ...call } = item;
  return call as unknown as Call;
};

export const dynamoCallRepository = (doc: DynamoDBDocumentClient, tableName: string): CallRepository => ({
  async get(callId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: key(callId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async insert(call, events) {
    const now = new Date(call.createdAt);
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: toItem(call),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...events.map((event) => outboxPut(tableName, event, now)),
          ],
        }),
      )
      .catch((error) => {
        if (failedConditions(error)?.includes(0)) throw conflict(`Call ${call.callId} already exists`);
        throw error;
      });
  },

  async list(filter = {}) {
    if (filter.programId) {
      const items = await queryAll(doc, {
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :calls)",
        ExpressionAttributeValues: { ":pk": `PROGRAM#${filter.programId}`, ":calls": "CALL#" },
      });
      const calls = items.map(fromItem);
      const after = filter.closingAfter;
      return after ? calls.filter((c) => c.closesAt > after) : calls;
    }
    const items = await queryAll(doc, {
      TableName: tableName,
      IndexName: "gsi2",
      ...(filter.closingAfter
        ? {
            KeyConditionExpression: "gsi2pk = :pk AND gsi2sk > :after",
            ExpressionAttributeValues: { ":pk": "CALLS", ":after": filter.closingAfter },
          }
        : { KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": "CALLS" } }),
    });
    // "<closesAt>#<callId>" sorts after "<closesAt>" itself, so a call closing exactly then slips in.
    const after = filter.closingAfter;
    return items.map(fromItem).filter((c) => !after || c.closesAt > after);
  },

  async extendPool(callId, expectedSize, reviewerIds, events) {
    const now = new Date(events[0]?.detail.occurredAt ?? Date.now());
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: key(callId),
                UpdateExpression: "SET reviewerPool = list_append(reviewerPool, :added)",
                ConditionExpression: "attribute_exists(pk) AND size(reviewerPool) = :size",
                ExpressionAttributeValues: { ":added": reviewerIds, ":size": expectedSize },
              },
            },
            ...events.map((event) => outboxPut(tableName, event, now)),
          ],
        }),
      )
      .catch((error) => {
        if (failedConditions(error)?.includes(0)) {
          throw conflict(`The reviewer pool of call ${callId} changed meanwhile; read it again and retry`);
        }
        throw error;
      });
  },
});
