import { mainTable } from "./table.js";
import type { StreamSubscriptionSpec } from "./topology.js";

export const OUTBOX_PREFIX = "OUTBOX#";
/** Accepted usage records (`USAGE#<recordId>` / `RECORD`), counted by the write that stores them. */
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
    // INSERT only: each stored record, once, whose award's thresholds the processor checks (a
    // record is never rewritten; the filter keeps any later change of its item away).
    filter: {
      eventName: ["INSERT"],
      dynamodb: { Keys: { pk: { S: [{ prefix: USAGE_PREFIX }] }, sk: { S: ["RECORD"] } } },
    },
    batchSize: 100,
  },
];
