import { ConcurrentModification, conflict } from "@allot/core";
import type { DomainEvent } from "@allot/core/events";
import type { Proposal, ProposalRepository, WriteOptions } from "@allot/core/proposal";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

const key = (proposalId: string) => ({ pk: `PROPOSAL#${proposalId}`, sk: "PROPOSAL" });

// gsi1: an applicant's proposals; gsi2: a call's proposals by status, for staff and ranking.
const toItem = (p: Proposal) => ({
  ...key(p.proposalId),
  gsi1pk: `APPLICANT#${p.applicantId}`,
  gsi1sk: `PROPOSAL#${p.createdAt}#${p.proposalId}`,
  gsi2pk: `CALL#${p.callId}#PROPOSALS`,
  gsi2sk: `${p.status}#${p.proposalId}`,
  type: "proposal",
  ...p,
});

const fromItem = (item: Record<string, unknown>): Proposal => {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _t, ...proposal } = item;
  return proposal as unknown as Proposal;
};

export const dynamoProposalRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ProposalRepository => {
  const write = async (
    proposal: Proposal,
    events: DomainEvent[],
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
    options: WriteOptions = {},
  ) => {
    const now = new Date(proposal.updatedAt);
    const claims = options.claims ?? [];
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: toItem(proposal), ...condition } },
            ...claims.map((claim) => ({
              Put: {
                TableName: tableName,
                Item: {
                  pk: `CLAIM#${claim}`,
                  sk: "CLAIM",
                  proposalId: proposal.proposalId,
                  at: proposal.updatedAt,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            })),
            ...events.map((event) => outboxPut(tableName, event, now)),
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.includes(0)) throw new ConcurrentModification(`Proposal ${proposal.proposalId}`);
      if (failed?.some((i) => i >= 1 && i <= claims.length))
        throw conflict(`A unique claim is already taken`);
      throw error;
    }
  };

  return {
    async get(proposalId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: key(proposalId), ConsistentRead: true }),
      );
      return Item ? fromItem(Item) : undefined;
    },
    insert: (proposal, events, options) =>
      write(proposal, events, { ConditionExpression: "attribute_not_exists(pk)" }, options),
    update: (proposal, events, options) =>
      write(
        proposal,
        events,
        {
          ConditionExpression: "revision = :expected",
          ExpressionAttributeValues: { ":expected": proposal.revision - 1 },
        },
        options,
      ),
    async listByCall(callId, status) {
      const items = await queryAll(doc, {
        TableName: tableName,
        IndexName: "gsi2",
        KeyConditionExpression: status ? "gsi2pk = :pk AND begins_with(gsi2sk, :status)" : "gsi2pk = :pk",
        ExpressionAttributeValues: {
          ":pk": `CALL#${callId}#PROPOSALS`,
          ...(status ? { ":status": `${status}#` } : {}),
        },
      });
      return items.map(fromItem);
    },
    async listByApplicant(applicantId) {
      const items = await queryAll(doc, {
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
        ExpressionAttributeValues: { ":pk": `APPLICANT#${applicantId}`, ":prefix": "PROPOSAL#" },
      });
      return items.map(fromItem);
    },
  };
};
