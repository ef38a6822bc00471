import { ConcurrentModification } from "@allot/core";
import type { Award, AwardRepository } from "@allot/core/award";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

// The award item is written here for changes that move no money, and by the ledger repository
// (in its money transactions) otherwise; both use these keys and the revision condition.
export const awardKeys = (a: Pick<Award, "awardId" | "programId" | "status" | "applicantId">) => ({
  pk: `AWARD#${a.awardId}`,
  sk: "AWARD",
  gsi1pk: `PROGRAM#${a.programId}#AWARDS`,
  gsi1sk: `${a.status}#${a.awardId}`,
  gsi2pk: `APPLICANT#${a.applicantId}`,
  gsi2sk: `AWARD#${a.awardId}`,
});

const fromItem = (item: Record<string, unknown>): Award => {
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _t, ...award } = item;
  return award as unknown as Award;
};

export const dynamoAwardRepository = (doc: DynamoDBDocumentClient, tableName: string): AwardRepository => ({
  async get(awardId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: `AWARD#${awardId}`, sk: "AWARD" },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async getMany(awardIds) {
    const keys = [...new Set(awardIds)].map((awardId) => ({ pk: `AWARD#${awardId}`, sk: "AWARD" }));
    return (await batchGetAll(doc, tableName, keys)).map(fromItem);
  },

  async update(award, events) {
    const now = new Date();
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...award, ...awardKeys(award), type: "award" },
                ConditionExpression: "revision = :expected",
                ExpressionAttributeValues: { ":expected": award.revision - 1 },
              },
            },
            ...events.map((e) => outboxPut(tableName, e, now)),
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error)?.includes(0)) throw new ConcurrentModification(`Award ${award.awardId}`);
      throw error;
    }
  },

  async listByProgram(programId, status) {
    const items = await queryAll(doc, {
      TableName: tableName,
      IndexName: "gsi1",
      KeyConditionExpression: status ? "gsi1pk = :pk AND begins_with(gsi1sk, :status)" : "gsi1pk = :pk",
      ExpressionAttributeValues: {
        ":pk": `PROGRAM#${programId}#AWARDS`,
        ...(status ? { ":status": `${status}#` } : {}),
      },
    });
    return items.map(fromItem);
  },

  async listByApplicant(applicantId) {
    const items = await queryAll(doc, {
      TableName: tableName,
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :prefix)",
      ExpressionAttributeValues: { ":pk": `APPLICANT#${applicantId}`, ":prefix": "AWARD#" },
    });
    return items.map(fromItem);
  },
});
