import { mainTable } from "./table.js";
import type { StreamSubscriptionSpec } from "./topology.js";

export const OUTBOX_PREFIX = "OUTBOX#";
/** Accepted usage records (`USAGE#<recordId>` / `RECORD`), counted by the usage processor. */
export const USAGE_PREFIX = "USAGE#";

export const streamSubscriptions: StreamSubscriptionSpec[] = [
  {
    name: "outbox",
    table: mainTable.name,
    function: "outbox-relay",
    filter: { eventName: ["INSERT"], dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_PREFIX }] } } } },
    batchSize: 100,
  },
  {
    name: "usage",
    table: mainTable.name,
    function: "usage-processor",
    // INSERT only: a record sent again rewrites its item, which the stream shows as a MODIFY
    // and must not be counted again; the per-record marker is the guarantee, this the saving.
    filter: {
      eventName: ["INSERT"],
      dynamodb: { Keys: { pk: { S: [{ prefix: USAGE_PREFIX }] }, sk: { S: ["RECORD"] } } },
    },
    batchSize: 100,
  },
];
