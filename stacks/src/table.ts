import type { TableSpec } from "./topology.js";

// One table for the whole domain (single-table design): every aggregate lives under its own
// partition key prefix, so one transaction can span a proposal, its outbox entry and its
// ledger lines. gsi1 serves "list by owner/parent" queries, gsi2 "list by status".
export const mainTable: TableSpec = {
  name: "allot",
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalIndexes: [
    { name: "gsi1", partitionKey: { name: "gsi1pk", type: "S" }, sortKey: { name: "gsi1sk", type: "S" } },
    { name: "gsi2", partitionKey: { name: "gsi2pk", type: "S" }, sortKey: { name: "gsi2sk", type: "S" } },
  ],
  stream: "NEW_IMAGE",
  ttlAttribute: "expiresAt",
};

export const bus = { name: "allot", archiveRetentionDays: 365 };
