import type { TableSpec } from "./config.js";

// The emulators' own durable state (archived events, pending deliveries, dead letters,
// executions, checkpoints, task tokens, timers, stream checkpoints), apart from the
// application's tables so that nothing of the emulation can leak into its data. Each emulator
// owns a key prefix. The caller names the table: one data folder may hold several stacks.
export const runtimeTableSpec = (name: string): TableSpec => ({
  name,
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalIndexes: [
    { name: "gsi1", partitionKey: { name: "gsi1pk", type: "S" }, sortKey: { name: "gsi1sk", type: "S" } },
  ],
  stream: "NEW_IMAGE",
  ttlAttribute: "expiresAt",
});
