// DynamoDB: on demand, a stream, TTL and point-in-time recovery (SST's Dynamo turns PITR on).
import type { TablePlan } from "./plan.js";

export const createTable = (table: TablePlan): sst.aws.Dynamo =>
  new sst.aws.Dynamo(table.logicalName, {
    fields: table.fields,
    primaryIndex: { hashKey: table.partitionKey, rangeKey: table.sortKey },
    globalIndexes: Object.fromEntries(
      table.globalIndexes.map((index) => [
        index.name,
        {
          hashKey: index.partitionKey,
          ...(index.sortKey ? { rangeKey: index.sortKey } : {}),
          projection: index.projection,
        },
      ]),
    ),
    stream: table.stream,
    ttl: table.ttlAttribute,
    deletionProtection: table.deletionProtection,
    transform: {
      table: (args) => {
        args.name = table.physicalName;
        args.billingMode = table.billing;
        args.pointInTimeRecovery = { enabled: table.pointInTimeRecovery };
      },
    },
  });
