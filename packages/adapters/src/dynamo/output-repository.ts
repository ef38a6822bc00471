import { ConcurrentModification } from "@allot/core";
import type { Output, OutputRepository } from "@allot/core/output";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { entityOf, outputKeys } from "./keys.js";
import { outboxPut } from "./outbox.js";
import { queryPartition } from "./query.js";
import { putIfAbsent, sendTransaction, transactWithOutbox, versionedPut } from "./transact.js";

const outputItem = (output: Output) => ({
  ...output,
  ...outputKeys.key(output.awardId, output.outputId),
  ...outputKeys.indexes(output),
  type: "output",
});

const outputsOf = (items: Record<string, unknown>[]) =>
  items.map((item) => entityOf<Output>(item)).sort((a, b) => a.registeredAt.localeCompare(b.registeredAt));

export const dynamoOutputRepository = (doc: DynamoDBDocumentClient, tableName: string): OutputRepository => ({
  async get(awardId, outputId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: outputKeys.key(awardId, outputId), ConsistentRead: true }),
    );
    return Item ? entityOf<Output>(Item) : undefined;
  },

  listForAward: async (awardId) =>
    outputsOf(await queryPartition(doc, tableName, outputKeys.ofAward(awardId), { consistent: true })),

  listForProgram: async (programId) =>
    outputsOf(await queryPartition(doc, tableName, outputKeys.ofProgram(programId))),

  listAll: async () => outputsOf(await queryPartition(doc, tableName, outputKeys.all())),

  async create(output, events) {
    const at = new Date();
    const refusal = await sendTransaction(doc, [
      putIfAbsent(tableName, outputItem(output)),
      ...events.map((e) => outboxPut(tableName, e, at)),
    ]);
    if (!refusal) return true;
    if (refusal.failed.includes(0)) return false;
    throw refusal.error;
  },

  save: (output, events) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, outputItem(output), output.revision - 1),
          refused: () => new ConcurrentModification(`Output ${output.outputId}`),
        },
      ],
      events,
      at: new Date(),
    }),

  async recordOverdue(overdue, events) {
    const at = new Date();
    const refusal = await sendTransaction(doc, [
      putIfAbsent(tableName, {
        ...outputKeys.overdue(overdue.awardId, overdue.obligation, overdue.dueAt),
        ...overdue,
        type: "obligation-overdue",
      }),
      ...events.map((e) => outboxPut(tableName, e, at)),
    ]);
    if (!refusal) return true;
    if (refusal.failed.includes(0)) return false;
    throw refusal.error;
  },
});
