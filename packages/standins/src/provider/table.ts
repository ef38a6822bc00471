import type { TableSpec } from "aws-local";

// The stand-in's own state, apart from the application's and the emulators' tables, as a real
// provider's would be. One item per award holds the project, its transaction and its pending
// answer, so that every change to one award is a single conditional write. gsi1 is sparse: an
// item is in it only while its answer is owed, keyed by when it is next due.
export const providerStandInTable: TableSpec = {
  name: "allot-provider-standin",
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalIndexes: [
    { name: "gsi1", partitionKey: { name: "gsi1pk", type: "S" }, sortKey: { name: "gsi1sk", type: "S" } },
  ],
  stream: "NEW_IMAGE",
  ttlAttribute: "expiresAt",
};
