import { mainTable } from "./table.js";
import type { StreamSubscriptionSpec } from "./topology.js";

export const OUTBOX_PREFIX = "OUTBOX#";
/** Accepted usage records (`USAGE#<recordId>` / `RECORD`), counted by the write that stores them. */
export const USAGE_PREFIX = "USAGE#";
/** An award's usage counter shards (`CONSUMPTION#<awardId>#<shard>`), whose `TOTAL` items the usage processor watches. */
export const CONSUMPTION_PREFIX = "CONSUMPTION#";

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
    // A counter shard's TOTAL changes once per transaction of up to ~97 records, not once per
    // record: the processor checks the award's thresholds (and settles it when its credits are
    // used up) per counting write, with a few reads, and a record sent again changes nothing.
    filter: {
      eventName: ["INSERT", "MODIFY"],
      dynamodb: { Keys: { pk: { S: [{ prefix: CONSUMPTION_PREFIX }] }, sk: { S: ["TOTAL"] } } },
    },
    batchSize: 100,
  },
];
