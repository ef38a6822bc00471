import type { TableSpec } from "@allot/stacks";

// The emulators' own durable state (archived events, pending deliveries, dead letters,
// executions, checkpoints, task tokens, timers), apart from the application's table so that
// nothing of the emulation can leak into domain data. Each emulator owns a key prefix.
export const runtimeTable: TableSpec = {
  name: "allot-local-runtime",
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalIndexes: [
    { name: "gsi1", partitionKey: { name: "gsi1pk", type: "S" }, sortKey: { name: "gsi1sk", type: "S" } },
  ],
  stream: "NEW_IMAGE",
  ttlAttribute: "expiresAt",
};
