import { conflict } from "@allot/core";
import type { DomainEvent } from "@allot/core/events";
import type { Proposal, ProposalRepository } from "@allot/core/proposal";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";

const key = (proposalId: string) => ({ pk: `PROPOSAL#${proposalId}`, sk: "PROPOSAL" });

const toItem = (p: Proposal) => ({
  ...key(p.proposalId),
  gsi1pk: `APPLICANT#${p.applicantId}`,
  gsi1sk: `PROPOSAL#${p.submittedAt}#${p.proposalId}`,
  gsi2pk: `CALL#${p.callId}`,
  gsi2sk: `${p.status}#${p.proposalId}`,
  type: "proposal",
  ...p,
});

const fromItem = (item: Record<string, unknown>): Proposal => {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _t, ...proposal } = item;
  return proposal as unknown as Proposal;
};

export const dynamoProposalRepository = (doc: DynamoDBDocumentClient, tableName: string): ProposalRepository => ({
  async get(proposalId) {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key(proposalId), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  },

  async insert(proposal, events) {
    await write(doc, tableName, proposal, events, {
      ConditionExpression: "attribute_not_exists(pk)",
    }).catch((error) => {
      if (failedConditions(error)?.includes(0)) throw conflict(`Proposal ${proposal.proposalId} already exists`);
      throw error;
    });
  },

  async update(proposal, events) {
    await write(doc, tableName, proposal, events, {
      ConditionExpression: "revision = :expected",
      ExpressionAttributeValues: { ":expected": proposal.revision - 1 },
    }).catch((error) => {
      if (failedConditions(error)?.includes(0)) {
        throw conflict(`Proposal ${proposal.proposalId} changed meanwhile; read it again and retry`);
      }
      throw error;
    });
  },
});

const write = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  proposal: Proposal,
  events: DomainEvent[],
  condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
) => {
  const now = new Date(proposal.updatedAt);
  return doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName, Item: toItem(proposal), ...condition } },
        ...events.map((event) => outboxPut(tableName, event, now)),
      ],
    }),
  );
};
