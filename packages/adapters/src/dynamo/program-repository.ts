import { ConcurrentModification, conflict } from "@allot/core";
import type { PartnerInstitutionRecord, ProgramRecord, ProgramRepository } from "@allot/core/program";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { entityOf, programKeys } from "./keys.js";
import { partnerCapUpdate, partnerHeldCents } from "./ledger-repository.js";
import { queryPartition } from "./query.js";
import { transactWithOutbox, versionedPut } from "./transact.js";

// A program's partner institutions live in its partition, next to their ledger balances.
const toItem = (p: ProgramRecord) => ({
  ...programKeys.key(p.programId),
  ...programKeys.indexes(p.programId),
  type: "program",
  ...p,
});

export const dynamoProgramRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ProgramRepository => ({
  async get(programId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: programKeys.key(programId), ConsistentRead: true }),
    );
    return Item ? entityOf<ProgramRecord>(Item) : undefined;
  },

  insert: (program, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(program), null),
          refused: () => conflict(`Program ${program.programId} already exists`),
        },
      ],
      events,
      at: new Date(program.createdAt),
    }),

  async list() {
    const items = await queryPartition(doc, tableName, programKeys.all());
    return items.map((item) => entityOf<ProgramRecord>(item));
  },

  async getInstitution(programId, institutionId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: programKeys.institution(programId, institutionId),
        ConsistentRead: true,
      }),
    );
    return Item ? entityOf<PartnerInstitutionRecord>(Item) : undefined;
  },

  async listInstitutions(programId) {
    const items = await queryPartition(doc, tableName, programKeys.institutions(programId), {
      consistent: true,
    });
    return items.map((item) => entityOf<PartnerInstitutionRecord>(item));
  },

  putInstitution: (institution, expectedRevision, events) => {
    const { programId, institutionId } = institution;
    return transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(
            tableName,
            {
              ...programKeys.institution(programId, institutionId),
              type: "partner-institution",
              ...institution,
            },
            expectedRevision,
          ),
          refused: () => new ConcurrentModification(`Partner institution ${institutionId}`),
        },
        {
          item: partnerCapUpdate(tableName, programId, institution, institution.creditCapCents),
          refused: async () => {
            const held = await partnerHeldCents(doc, tableName, programId, institutionId);
            return conflict(
              `${institution.name} already holds ${held} credit cents in program ${programId}; its cap cannot go below that (creditCapCents ${institution.creditCapCents} requested)`,
            );
          },
        },
      ],
      events,
      at: new Date(institution.updatedAt),
    });
  },
});
