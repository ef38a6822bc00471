import { ConcurrentModification, conflict, validationError } from "@allot/core";
import type { IntegrationClient, IntegrationClientRepository } from "@allot/core/integration";
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { entityOf, integrationClientKeys } from "./keys.js";
import { partitionQuery } from "./query.js";
import { transactWithOutbox, versionedPut } from "./transact.js";

// One item per client (keys in keys.ts), written with a revision condition like every record.
// The secret hash is stored with the client: only the issuer reads it, the API never shows it.

const toItem = (c: IntegrationClient) => ({
  ...integrationClientKeys.key(c.clientId),
  ...integrationClientKeys.indexes(c),
  type: "integration-client",
  ...c,
});

const CURSOR = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#(cli_[0-9a-z]{26})$/;

const startKey = (cursor: string) => {
  const sort = Buffer.from(cursor, "base64url").toString("utf8");
  const match = CURSOR.exec(sort);
  if (!match?.[1]) {
    throw validationError("The cursor is invalid", [
      { field: "cursor", message: "is not a cursor this listing returned" },
    ]);
  }
  return { ...integrationClientKeys.key(match[1]), gsi2pk: integrationClientKeys.all().pk, gsi2sk: sort };
};

export const dynamoIntegrationClientRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): IntegrationClientRepository => ({
  async get(clientId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: integrationClientKeys.key(clientId),
        ConsistentRead: true,
      }),
    );
    return Item ? entityOf<IntegrationClient>(Item) : undefined;
  },

  create: (client) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(client), null),
          refused: () => conflict(`Integration client ${client.clientId} already exists`),
        },
      ],
      events: [],
      at: new Date(client.createdAt),
    }),

  update: (client, expectedRevision) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(client), expectedRevision),
          refused: () => new ConcurrentModification(`Integration client ${client.clientId}`),
        },
      ],
      events: [],
      at: new Date(),
    }),

  async list({ limit, cursor }) {
    const items: IntegrationClient[] = [];
    let start: Record<string, unknown> | undefined = cursor ? startKey(cursor) : undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          ...partitionQuery(tableName, integrationClientKeys.all()),
          Limit: limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []).map((item) => entityOf<IntegrationClient>(item)));
      start = page.LastEvaluatedKey;
    } while (start && items.length < limit);
    const last = items.at(-1);
    return {
      items,
      ...(start && last
        ? { cursor: Buffer.from(integrationClientKeys.sort(last), "utf8").toString("base64url") }
        : {}),
    };
  },
});
