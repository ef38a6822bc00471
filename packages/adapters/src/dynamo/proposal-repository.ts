import { ConcurrentModification, conflict } from "@allot/core";
import type { DomainEvent } from "@allot/core/events";
import type { Proposal, ProposalRepository, WriteOptions } from "@allot/core/proposal";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { claimKeys, entityOf, proposalKeys } from "./keys.js";
import { queryPartition } from "./query.js";
import { putIfAbsent, transactWithOutbox, versionedPut } from "./transact.js";

const toItem = (p: Proposal) => ({
  ...proposalKeys.key(p.proposalId),
  ...proposalKeys.indexes(p),
  type: "proposal",
  ...p,
});

export const dynamoProposalRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ProposalRepository => {
  const write = (
    proposal: Proposal,
    events: DomainEvent[],
    expectedRevision: number | null,
    options: WriteOptions = {},
  ) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(proposal), expectedRevision),
          refused: () => new ConcurrentModification(`Proposal ${proposal.proposalId}`),
        },
        ...(options.claims ?? []).map((claim) => ({
          item: putIfAbsent(tableName, {
            ...claimKeys.key(claim),
            proposalId: proposal.proposalId,
            at: proposal.updatedAt,
          }),
          refused: () => conflict("A unique claim is already taken"),
        })),
      ],
      events,
      at: new Date(proposal.updatedAt),
    });

  return {
    async get(proposalId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: proposalKeys.key(proposalId), ConsistentRead: true }),
      );
      return Item ? entityOf<Proposal>(Item) : undefined;
    },
    insert: (proposal, events, options) => write(proposal, events, null, options),
    update: (proposal, events, options) => write(proposal, events, proposal.revision - 1, options),
    async listByCall(callId, status) {
      const items = await queryPartition(doc, tableName, proposalKeys.ofCall(callId, status));
      return items.map((item) => entityOf<Proposal>(item));
    },
    async listByApplicant(applicantId) {
      const items = await queryPartition(doc, tableName, proposalKeys.ofApplicant(applicantId));
      return items.map((item) => entityOf<Proposal>(item));
    },
  };
};
