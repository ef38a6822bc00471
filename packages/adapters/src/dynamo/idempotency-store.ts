import { type IdempotencyScope, type IdempotencyStore, operationIdOf } from "@allot/core/idempotency";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { idempotencyKeys } from "./keys.js";

// One item per actor + route + key. A claim is a conditional put, so of concurrent duplicates
// exactly one runs; its answer is kept for a day, as Stripe keeps keys. A claim whose run
// crashed goes stale after longer than any function may run, and a retry may then take it over.
const RETENTION_SECONDS = 24 * 3600;
const CLAIM_MS = 60_000;

const keyOf = (scope: IdempotencyScope) => idempotencyKeys.key(operationIdOf(scope));

export const dynamoIdempotencyStore = (doc: DynamoDBDocumentClient, tableName: string): IdempotencyStore => ({
  async claim(scope, fingerprint, now) {
    const Key = keyOf(scope);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...Key,
              type: "idempotency-key",
              actorId: scope.actorId,
              route: scope.route,
              key: scope.key,
              fingerprint,
              state: "running",
              claimedUntil: now.getTime() + CLAIM_MS,
              expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
            },
            ConditionExpression:
              "attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#state = :running AND claimedUntil < :nowMs AND fingerprint = :fingerprint)",
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: {
              ":nowSeconds": Math.floor(now.getTime() / 1000),
              ":nowMs": now.getTime(),
              ":running": "running",
              ":fingerprint": fingerprint,
            },
          }),
        );
        return { kind: "run" };
      } catch (error) {
        if (!failedConditions(error)) throw error;
      }
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
      // Gone between the refused put and this read (it expired, or its run gave it up): claim again.
      if (!Item) continue;
      if (Item.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (Item.state === "completed")
        return {
          kind: "replay",
          response: { status: Number(Item.status), body: JSON.parse(String(Item.response)) },
        };
      return { kind: "in_progress" };
    }
    return { kind: "in_progress" };
  },

  async complete(scope, fingerprint, response) {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(scope),
        UpdateExpression:
          "SET #state = :completed, #status = :status, #response = :response REMOVE claimedUntil",
        ConditionExpression: "fingerprint = :fingerprint",
        ExpressionAttributeNames: { "#state": "state", "#status": "status", "#response": "response" },
        ExpressionAttributeValues: {
          ":completed": "completed",
          ":status": response.status,
          ":response": JSON.stringify(response.body ?? null),
          ":fingerprint": fingerprint,
        },
      }),
    );
  },

  async release(scope, fingerprint) {
    try {
      await doc.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keyOf(scope),
          ConditionExpression: "#state = :running AND fingerprint = :fingerprint",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":running": "running", ":fingerprint": fingerprint },
        }),
      );
    } catch (error) {
      // Someone else's claim by now (this one went stale and was taken over): leave it.
      if (!failedConditions(error)) throw error;
    }
  },
});
