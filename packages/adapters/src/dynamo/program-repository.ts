import { ConcurrentModification, conflict } from "@allot/core";
import type { PartnerInstitutionRecord, ProgramRecord, ProgramRepository } from "@allot/core/program";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { partnerCapUpdate, partnerHeldCents } from "./ledger-repository.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

// Programs are few and read often: one item each, listed through gsi2 under one partition.
// A program's partner institutions live in its partition, next to their ledger balances.
const key = (programId: string) => ({ pk: `PROGRAM#${programId}`, sk: "PROGRAM" });
const INSTITUTION = "INSTITUTION#";
const institutionKey = (programId: string, institutionId: string) => ({
  pk: `PROGRAM#${programId}`,
  sk: `${INSTITUTION}${institutionId}`,
});

const fromInstitutionItem = (item: Record<string, unknown>): PartnerInstitutionRecord => {
  const { pk: _pk, sk: _sk, type: _t, ...institution } = item;
  return institution as unknown as PartnerInstitutionRecord;
};

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

  async getInstitution(programId, institutionId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: institutionKey(programId, institutionId),
        ConsistentRead: true,
      }),
    );
    return Item ? fromInstitutionItem(Item) : undefined;
  },

  async listInstitutions(programId) {
    const items = await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": `PROGRAM#${programId}`, ":prefix": INSTITUTION },
      ConsistentRead: true,
    });
    return items.map(fromInstitutionItem);
  },

  async putInstitution(institution, expectedRevision, events) {
    const { programId, institutionId } = institution;
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...institutionKey(programId, institutionId),
                  type: "partner-institution",
                  ...institution,
                },
                ...(expectedRevision === null
                  ? { ConditionExpression: "attribute_not_exists(pk)" }
                  : {
                      ConditionExpression: "revision = :expected",
                      ExpressionAttributeValues: { ":expected": expectedRevision },
                    }),
              },
            },
            partnerCapUpdate(tableName, programId, institution, institution.creditCapCents),
            ...events.map((event) => outboxPut(tableName, event, new Date(institution.updatedAt))),
          ],
        }),
      )
      .catch(async (error) => {
        const failed = failedConditions(error);
        if (failed?.includes(0)) throw new ConcurrentModification(`Partner institution ${institutionId}`);
        if (failed?.includes(1)) {
          const held = await partnerHeldCents(doc, tableName, programId, institutionId);
          throw conflict(
            `${institution.name} already holds ${held} credit cents in program ${programId}; its cap cannot go below that (creditCapCents ${institution.creditCapCents} requested)`,
          );
        }
        throw error;
      });
  },
});
