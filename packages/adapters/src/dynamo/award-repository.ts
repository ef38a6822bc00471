import { ConcurrentModification } from "@allot/core";
import type { Award, AwardRepository } from "@allot/core/award";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { awardKeys, entityOf } from "./keys.js";
import { queryPartition } from "./query.js";
import { transactWithOutbox, versionedPut } from "./transact.js";

/** The award item as both the award and the ledger repositories write it. */
export const awardItem = <A extends Parameters<typeof awardKeys.indexes>[0]>(award: A) => ({
  ...award,
  ...awardKeys.key(award.awardId),
  ...awardKeys.indexes(award),
  type: "award",
});

export const dynamoAwardRepository = (doc: DynamoDBDocumentClient, tableName: string): AwardRepository => ({
  async get(awardId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: awardKeys.key(awardId), ConsistentRead: true }),
    );
    return Item ? entityOf<Award>(Item) : undefined;
  },

  async getMany(awardIds) {
    const keys = [...new Set(awardIds)].map(awardKeys.key);
    return (await batchGetAll(doc, tableName, keys)).map((item) => entityOf<Award>(item));
  },

  update: (award, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, awardItem(award), award.revision - 1),
          refused: () => new ConcurrentModification(`Award ${award.awardId}`),
        },
      ],
      events,
      at: new Date(),
    }),

  async listByProgram(programId, status) {
    const items = await queryPartition(doc, tableName, awardKeys.ofProgram(programId, status));
    return items.map((item) => entityOf<Award>(item));
  },

  async listByApplicant(applicantId) {
    const items = await queryPartition(doc, tableName, awardKeys.ofApplicant(applicantId));
    return items.map((item) => entityOf<Award>(item));
  },
});
