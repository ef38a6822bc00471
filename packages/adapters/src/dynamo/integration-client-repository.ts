import { ConcurrentModification, conflict } from "@allot/core";
import type { IntegrationClient, IntegrationClientRepository } from "@allot/core/integration";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { indexPage } from "./index-page.js";
import { entityOf, integrationClientKeys } from "./keys.js";
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
    const page = await indexPage(doc, tableName, integrationClientKeys.all(), {
      limit,
      cursor,
      oldestFirst: true,
      sortShape: CURSOR,
      keyOfSort: (sort) => integrationClientKeys.key((CURSOR.exec(sort) as RegExpExecArray)[1] as string),
    });
    return {
      items: page.items.map((item) => entityOf<IntegrationClient>(item)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  },
});
