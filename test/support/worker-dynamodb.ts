import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { localClientConfig } from "../../packages/aws-local/src/aws-config.js";
import { PID_REGISTRY_ENV } from "../../packages/aws-local/src/dynamodb/launcher.js";
import { startFailureFile } from "./jvm-registry.js";

export type LocalClientConfig = ReturnType<typeof localClientConfig>;

/** A database of its own on a shared DynamoDB Local: the endpoint and the access key that names it. */
export interface TestDatabase {
  endpoint: string;
  accessKeyId: string;
  clientConfig: LocalClientConfig;
}

// The global setup does not wait for the JVMs to answer; the first file on each worker that
// needs one does (a loaded machine can take most of a minute to start a JVM).
const answering = async (endpoint: string) => {
  const failure = startFailureFile(process.env[PID_REGISTRY_ENV] ?? "", endpoint);
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  try {
    for (const deadline = Date.now() + 180_000; ; ) {
      if (existsSync(failure)) throw new Error(readFileSync(failure, "utf8"));
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`this worker's DynamoDB Local did not answer: ${error}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
};

/**
 * A fresh database on this worker's DynamoDB Local (started once by test/support/jvm-registry.ts),
 * or undefined outside the integration project. DynamoDB Local without sharedDb keeps one
 * database per access key, so a new key is a new, empty database that no other file can see.
 */
export const workerDatabase = async (): Promise<TestDatabase | undefined> => {
  const endpoint = process.env.DYNAMODB_LOCAL_TEST_ENDPOINT;
  if (!endpoint) return undefined;
  await answering(endpoint);
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
