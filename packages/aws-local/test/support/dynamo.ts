import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dropDatabase, workerDatabase } from "../../../../test/support/worker-dynamodb.js";
import { localClientConfig } from "../../src/aws-config.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../src/dynamodb/launcher.js";
import { ensureTable } from "../../src/dynamodb/tables.js";
import { freePort } from "../../src/net.js";
import { runtimeTableSpec } from "../../src/runtime-table.js";

/** The emulators' table in tests; the tests that need several name their own after it. */
export const runtimeTable = runtimeTableSpec("local-runtime");

export interface TestDynamo {
  endpoint: string;
  /** Endpoint, region and this database's access key, for any other client a test builds. */
  clientConfig: ReturnType<typeof localClientConfig>;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** The JVM, when this database has one of its own. */
  local?: DynamoDbLocal;
  stop(): Promise<void>;
}

const privateDatabase = async () => {
  const pidDir = mkdtempSync(join(tmpdir(), "dynamodb-local-"));
  const local = await startDynamoDbLocal({ port: await freePort(), pidDir });
  const clientConfig = localClientConfig(local.endpoint);
  return {
    local,
    clientConfig,
    async stop() {
      await local.stop();
      rmSync(pidDir, { recursive: true, force: true });
    },
  };
};

const sharedDatabase = async () => {
  const database = await workerDatabase();
  if (!database)
    throw new Error("startTestDynamo needs the integration project's DynamoDB Local (see vitest.config.ts)");
  return { local: undefined, clientConfig: database.clientConfig, stop: () => dropDatabase(database) };
};

/**
 * An empty database with the runtime table created: by default this file's own database on its
 * worker's DynamoDB Local (test/support/worker-dynamodb.ts); with `ownJvm` (tests of the
 * launcher, of a JVM's death, and scripts outside vitest) a private in-memory DynamoDB Local.
 */
export const startTestDynamo = async (options: { ownJvm?: boolean } = {}): Promise<TestDynamo> => {
  const ownJvm = options.ownJvm ?? !process.env.DYNAMODB_LOCAL_TEST_ENDPOINT;
  const database = ownJvm ? await privateDatabase() : await sharedDatabase();
  const client = new DynamoDBClient(database.clientConfig);
  await ensureTable(client, runtimeTable);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint: database.clientConfig.endpoint,
    clientConfig: database.clientConfig,
    client,
    doc,
    local: database.local,
    async stop() {
      client.destroy();
      await database.stop();
    },
  };
};

/**
 * A document client for tests that race many requests at once: the SDK's default of 50
 * sockets would queue them, and a race that queues is no race.
 */
export const racingDocumentClient = (dynamo: Pick<TestDynamo, "clientConfig">, maxSockets = 128) => {
  const client = new DynamoDBClient({
    ...dynamo.clientConfig,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }) },
  });
  return {
    client,
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  };
};
