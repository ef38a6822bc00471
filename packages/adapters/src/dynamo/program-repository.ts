import { conflict } from "@allot/core";
import type { ProgramRecord, ProgramRepository } from "@allot/core/program";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

// Programs are few and read often: one item each, listed through gsi2 under one partition.
const key = (programId: string) => ({ pk: `PROGRAM#${programId}`, sk: "PROGRAM" });

const toItem = (p: ProgramRecord) => ({
  ...key(p.programId),
  gsi2pk: "PROGRAMS",
  gsi2sk: p.programId,
  type: "program",
  ...p,
});

const fromItem = (item: Record<string, unknown>): ProgramRecord => {
  const { pk: _pk, sk: _sk, gsi2pk: _c, gsi2sk: _d, type: _t, ...program } = item;
  return program as unknown as ProgramRecord;
};

export const dynamoProgramRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ProgramRepository => ({
  async get(programId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: key(programId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async insert(program, events) {
    const now = new Date(program.createdAt);
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: toItem(program),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...events.map((event) => outboxPut(tableName, event, now)),
          ],
        }),
      )
      .catch((error) => {
        if (failedConditions(error)?.includes(0))
          throw conflict(`Program ${program.programId} already exists`);
        throw error;
      });
  },

  async list() {
    const items = await queryAll(doc, {
      TableName: tableName,
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": "PROGRAMS" },
    });
    return items.map(fromItem);
  },
});
