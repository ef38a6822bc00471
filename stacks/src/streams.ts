import { mainTable } from "./table.js";
import type { StreamSubscriptionSpec } from "./topology.js";

export const OUTBOX_PREFIX = "OUTBOX#";

export const streamSubscriptions: StreamSubscriptionSpec[] = [
  {
    name: "outbox",
    table: mainTable.name,
    function: "outbox-relay",
    filter: { eventName: ["INSERT"], dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_PREFIX }] } } } },
    batchSize: 100,
  },
];
