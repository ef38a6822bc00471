import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import type { TableSpec } from "../config.js";

const createInput = (spec: TableSpec): CreateTableCommandInput => {
  const attributes = new Map<string, "S" | "N">();
  const keyAttrs = [
    spec.partitionKey,
    spec.sortKey,
    ...spec.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  for (const attr of keyAttrs) if (attr) attributes.set(attr.name, attr.type);
  return {
    TableName: spec.name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: "HASH" },
      { AttributeName: spec.sortKey.name, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: spec.globalIndexes.length
      ? spec.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: "HASH" as const },
            ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: "RANGE" as const }] : []),
          ],
          Projection: { ProjectionType: "ALL" as const },
        }))
      : undefined,
    StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream },
  };
};

/** Creates the table if it is missing; an existing table (a persisted data folder) is kept as it is. */
export const ensureTable = async (
  client: DynamoDBClient,
  spec: TableSpec,
): Promise<{ streamArn?: string; created: boolean }> => {
  let created = true;
  try {
    await client.send(new CreateTableCommand(createInput(spec)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.name,
        TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: spec.name }));
  return { streamArn: described.Table?.LatestStreamArn, created };
};
