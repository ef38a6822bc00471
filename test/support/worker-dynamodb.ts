import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { localClientConfig } from "../../packages/local/src/aws-config.js";

export type LocalClientConfig = ReturnType<typeof localClientConfig>;

/** A database of its own on a shared DynamoDB Local: the endpoint and the access key that names it. */
export interface TestDatabase {
  endpoint: string;
  accessKeyId: string;
  clientConfig: LocalClientConfig;
}

/**
 * A fresh database on this worker's DynamoDB Local (started once by test/support/jvm-registry.ts),
 * or undefined outside the integration project. DynamoDB Local without sharedDb keeps one
 * database per access key, so a new key is a new, empty database that no other file can see.
 */
export const workerDatabase = (): TestDatabase | undefined => {
  const endpoint = process.env.ALLOT_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) return undefined;
  // DynamoDB Local accepts only letters and digits in an access key.
  const accessKeyId = `db${randomUUID().replaceAll("-", "")}`;
  return { endpoint, accessKeyId, clientConfig: localClientConfig(endpoint, accessKeyId) };
};

/** Deletes every table of the database, so that a worker's JVM does not carry each finished file's data. */
export const dropDatabase = async (database: TestDatabase) => {
  const client = new DynamoDBClient(database.clientConfig);
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    await Promise.all(TableNames.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  } finally {
    client.destroy();
  }
};
